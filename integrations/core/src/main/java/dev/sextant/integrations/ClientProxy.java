package dev.sextant.integrations;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps a provider client (an interface) in a dynamic proxy that hands the traced methods to an
 * {@link Interceptor} and wraps the services it returns the same way, so {@code
 * client.chat().completions().create(..)} is traced however deep the call goes. A dynamic proxy
 * covers every method the client library has now or adds later, which hand-written delegates would
 * not. Decisions are made once per method and cached, and services returned by no-argument methods
 * are wrapped once, so a traced call costs one map lookup and one reflective call per level.
 */
public final class ClientProxy implements InvocationHandler {

  /** What to do with one method of a client interface. */
  public enum Kind {
    /** Call the target and return its result as it is. */
    PASS,
    /** Call the target and wrap the interface it returns. */
    WRAP,
    /** Hand the call to {@link Interceptor#call}. */
    TRACE
  }

  /** The provider-specific part: which methods are traced, and how. */
  public interface Interceptor {

    /** Decides once what happens to {@code method}. */
    Kind kind(Method method);

    /** Performs a traced call; {@link #callTarget} calls the target. */
    Object call(Object target, Method method, Object[] args) throws Throwable;
  }

  private final Object target;
  private final Interceptor interceptor;
  private final ConcurrentHashMap<Method, Kind> kinds;
  private final ConcurrentHashMap<Method, Object> children = new ConcurrentHashMap<>();

  private ClientProxy(Object target, Interceptor interceptor, ConcurrentHashMap<Method, Kind> kinds) {
    this.target = target;
    this.interceptor = interceptor;
    this.kinds = kinds;
  }

  /** {@code target} behind a proxy of {@code type}, traced by {@code interceptor}. */
  public static <T> T wrap(Class<T> type, T target, Interceptor interceptor) {
    return wrap(type, target, interceptor, new ConcurrentHashMap<>());
  }

  private static <T> T wrap(Class<T> type, Object target, Interceptor interceptor, ConcurrentHashMap<Method, Kind> kinds) {
    if (Proxy.isProxyClass(target.getClass()) && Proxy.getInvocationHandler(target) instanceof ClientProxy) {
      return type.cast(target);
    }
    Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        new ClientProxy(target, interceptor, kinds));
    return type.cast(proxy);
  }

  /**
   * {@link Kind#WRAP} for a method returning one of the client library's client or service interfaces
   * (names starting with one of {@code prefixes}), except raw-response views; else {@link Kind#PASS}.
   */
  public static Kind serviceKind(Method method, String... prefixes) {
    String type = method.getReturnType().getName();
    if (type.endsWith("WithRawResponse")) {
      return Kind.PASS;
    }
    for (String prefix : prefixes) {
      if (type.startsWith(prefix)) {
        return Kind.WRAP;
      }
    }
    return Kind.PASS;
  }

  /** True for {@code create} and {@code createStreaming} taking one of {@code params} first. */
  public static boolean isCreate(Method method, Class<?>... params) {
    String name = method.getName();
    if (!(name.equals("create") || name.equals("createStreaming")) || method.getParameterCount() == 0) {
      return false;
    }
    for (Class<?> type : params) {
      if (method.getParameterTypes()[0] == type) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code method} answers later: a future or an asynchronous stream. */
  public static boolean isAsync(Method method) {
    Class<?> type = method.getReturnType();
    return java.util.concurrent.CompletableFuture.class.isAssignableFrom(type) || type.getSimpleName().equals("AsyncStreamResponse");
  }

  /** Calls {@code method} on {@code target}, rethrowing what it threw unchanged. */
  public static Object callTarget(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return objectMethod(proxy, method, args);
    }
    Kind kind = kinds.get(method);
    if (kind == null) {
      kind = decide(method);
      kinds.put(method, kind);
    }
    switch (kind) {
      case TRACE:
        return interceptor.call(target, method, args);
      case WRAP:
        if (args == null || args.length == 0) {
          Object child = children.get(method);
          if (child == null) {
            child = wrapResult(method, callTarget(target, method, args));
            children.putIfAbsent(method, child);
          }
          return child;
        }
        return wrapResult(method, callTarget(target, method, args));
      default:
        return callTarget(target, method, args);
    }
  }

  private Kind decide(Method method) {
    Kind kind = interceptor.kind(method);
    return kind == Kind.WRAP && !method.getReturnType().isInterface() ? Kind.PASS : kind;
  }

  @SuppressWarnings("unchecked")
  private Object wrapResult(Method method, Object result) {
    return result == null ? null : wrap((Class<Object>) method.getReturnType(), result, interceptor, kinds);
  }

  private Object objectMethod(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      default:
        return "Traced(" + target + ")";
    }
  }
}
