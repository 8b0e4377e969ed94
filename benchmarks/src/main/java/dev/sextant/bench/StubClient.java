package dev.sextant.bench;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A provider client that does no work at all: its services are proxies, and {@code create} returns an
 * answer parsed once in advance. Bare, it costs only the interface dispatch; wrapped, the difference
 * is exactly what the Sextant wrapper adds (proxy hops, the step, the reading of the answer).
 */
final class StubClient {

  private StubClient() {}

  /** A {@code type} whose service methods return more stubs and whose {@code create} returns {@code answers} by method name. */
  static <T> T of(Class<T> type, Map<String, Object> answers) {
    Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
      Object answer = answers.get(method.getName());
      if (answer != null) {
        return answer;
      }
      if (method.getParameterCount() == 0 && method.getReturnType().isInterface()) {
        return of(method.getReturnType(), answers);
      }
      if (method.getName().equals("hashCode")) {
        return System.identityHashCode(self);
      }
      throw new UnsupportedOperationException(method.toString());
    });
    return type.cast(proxy);
  }
}
