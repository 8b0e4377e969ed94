package dev.sextant.integrations;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A provider client's stream response behind a proxy that feeds a {@link StreamTracing}. The OpenAI
 * and Anthropic SDKs shape their streams alike: a blocking {@code StreamResponse} ({@code stream()},
 * {@code close()}) and an {@code AsyncStreamResponse} ({@code subscribe(handler[, executor])},
 * {@code onCompleteFuture()}, {@code close()}) whose handler has {@code onNext(chunk)} and {@code
 * onComplete(Optional<Throwable>)}. One proxy serves both libraries' types: {@code stream()} is
 * traced once, {@code close()} ends the call, a subscribed handler sees each chunk after the
 * tracing did, and the proxy stands in for the response it wraps wherever the response returns
 * itself.
 */
public final class StreamProxy implements InvocationHandler {

  private final Object response;
  private final StreamTracing<Object> tracing;
  private Stream<Object> stream;

  private StreamProxy(Object response, StreamTracing<Object> tracing) {
    this.response = response;
    this.tracing = tracing;
  }

  /** {@code response} (a blocking or asynchronous stream response of type {@code type}), traced. */
  @SuppressWarnings("unchecked")
  public static <R> R wrap(Class<R> type, R response, StreamTracing<?> tracing) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        new StreamProxy(response, (StreamTracing<Object>) tracing)));
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    int arity = args == null ? 0 : args.length;
    switch (method.getName()) {
      case "equals":
        return arity == 1 && proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "Traced(" + response + ")";
      case "stream":
        if (arity == 0) {
          if (stream == null) {
            stream = tracing.stream((Stream<Object>) ClientProxy.callTarget(response, method, args));
          }
          return stream;
        }
        break;
      case "close":
        if (arity == 0) {
          try {
            return ClientProxy.callTarget(response, method, args);
          } finally {
            tracing.closed();
          }
        }
        break;
      case "subscribe":
        if (arity >= 1 && args[0] != null) {
          Class<?> handlerType = method.getParameterTypes()[0];
          Object[] traced = args.clone();
          traced[0] = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
              handler(args[0]));
          Object result = ClientProxy.callTarget(response, method, traced);
          return result == response ? proxy : result;
        }
        break;
      default:
        break;
    }
    Object result = ClientProxy.callTarget(response, method, args);
    return result == response ? proxy : result;
  }

  /** The subscriber's handler, with each chunk and the completion shown to the tracing first. */
  @SuppressWarnings("unchecked")
  private InvocationHandler handler(Object handler) {
    return (proxy, method, args) -> {
      int arity = args == null ? 0 : args.length;
      if (method.getName().equals("onNext") && arity == 1) {
        tracing.next(args[0]);
      } else if (method.getName().equals("onComplete") && arity == 1 && args[0] instanceof Optional<?> error) {
        tracing.complete((Optional<Throwable>) error);
      } else if (method.getDeclaringClass() == Object.class) {
        return method.getName().equals("equals") ? proxy == args[0]
            : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "Traced(" + handler + ")";
      }
      return ClientProxy.callTarget(handler, method, args);
    };
  }
}
