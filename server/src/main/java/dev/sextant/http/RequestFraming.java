package dev.sextant.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Refuses a request that frames its body twice, with {@code Content-Length} and
 * {@code Transfer-Encoding}: proxies in front of the server may split such a request differently
 * from the server (request smuggling), so it is answered 400 and its connection closed, as are
 * the requests after it on that connection. The decoder drops one of the two headers, so the
 * {@link FramingInspector} reading the connection's bytes tells which connection sent one.
 */
public final class RequestFraming implements DecoratingHttpServiceFunction {
  private final FramingInspector inspector = new FramingInspector();

  /** Adds the byte-level inspector to each new connection; give it to {@code childChannelPipelineCustomizer}. */
  public void install(io.netty.channel.ChannelPipeline pipeline) {
    inspector.install(pipeline);
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    if (ambiguous(req.headers()) || inspector.isAmbiguous(ctx.remoteAddress())) {
      req.abort();
      ctx.initiateConnectionShutdown();
      return Responses.error(HttpStatus.BAD_REQUEST, "ambiguous_framing",
          "the request has both Content-Length and Transfer-Encoding; send only one of them");
    }
    return delegate.serve(ctx, req);
  }

  static boolean ambiguous(RequestHeaders headers) {
    return headers.contains(HttpHeaderNames.CONTENT_LENGTH) && headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
  }
}
