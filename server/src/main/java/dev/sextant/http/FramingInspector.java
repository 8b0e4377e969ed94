package dev.sextant.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the HTTP/1 byte stream of each connection alongside the server's own decoder, which
 * drops {@code Content-Length} when {@code Transfer-Encoding} is present too, so that such a
 * request can still be refused ({@link RequestFraming}). It only looks: bytes pass on unchanged.
 * It follows each message's framing (length, chunks, trailers) to find the next request's head,
 * and stops looking at a connection that turns to HTTP/2 or that it cannot follow.
 */
final class FramingInspector {
  private static final int MAX_LINE = 64 * 1024;

  /** Connections (by client address and port) that sent an ambiguously framed request. */
  private final Map<SocketAddress, Boolean> ambiguous = new ConcurrentHashMap<>();

  /** Adds an inspector to a new connection's pipeline, before the HTTP decoder Armeria adds. */
  void install(ChannelPipeline pipeline) {
    for (Map.Entry<String, ChannelHandler> e : pipeline) {
      if (e.getValue().getClass().getName().contains("Http2PrefaceOrHttpHandler")) {
        pipeline.addBefore(e.getKey(), "sextant-framing", new Connection());
        return;
      }
    }
  }

  boolean isAmbiguous(SocketAddress client) {
    return ambiguous.containsKey(client);
  }

  private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, TRAILERS, PASS }

  private final class Connection extends ChannelInboundHandlerAdapter {
    private State state = State.HEAD;
    private final StringBuilder line = new StringBuilder();
    private long remaining;
    private boolean contentLength;
    private boolean transferEncoding;
    private boolean chunked;
    private boolean upgrade;
    private boolean firstLine = true;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (state != State.PASS && msg instanceof ByteBuf) scan(ctx, (ByteBuf) msg);
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ambiguous.remove(ctx.channel().remoteAddress());
      ctx.fireChannelInactive();
    }

    private void scan(ChannelHandlerContext ctx, ByteBuf buf) {
      int i = buf.readerIndex();
      int end = buf.writerIndex();
      while (i < end && state != State.PASS) {
        if (state == State.BODY || state == State.CHUNK_DATA) {
          int n = (int) Math.min(remaining, end - i);
          i += n;
          remaining -= n;
          if (remaining == 0) state = state == State.BODY ? State.HEAD : State.CHUNK_SIZE;
          continue;
        }
        char c = (char) (buf.getByte(i++) & 0xFF);
        if (c != '\n') {
          if (c != '\r') line.append(c);
          if (line.length() > MAX_LINE) state = State.PASS;
          continue;
        }
        String l = line.toString();
        line.setLength(0);
        onLine(ctx, l);
      }
    }

    private void onLine(ChannelHandlerContext ctx, String l) {
      switch (state) {
        case HEAD:
          if (firstLine) {
            if (l.isEmpty()) return;
            if (l.startsWith("PRI ")) state = State.PASS;
            firstLine = false;
          } else if (!l.isEmpty()) {
            header(l);
          } else {
            endOfHead(ctx);
          }
          return;
        case CHUNK_SIZE:
          try {
            int semi = l.indexOf(';');
            remaining = Long.parseLong((semi < 0 ? l : l.substring(0, semi)).trim(), 16) + 2;
          } catch (NumberFormatException e) {
            state = State.PASS;
            return;
          }
          state = remaining == 2 ? State.TRAILERS : State.CHUNK_DATA;
          if (remaining == 2) remaining = 0;
          return;
        case TRAILERS:
          if (l.isEmpty()) state = State.HEAD;
          return;
        default:
      }
    }

    private void header(String l) {
      int colon = l.indexOf(':');
      if (colon <= 0) return;
      String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = l.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "content-length":
          contentLength = true;
          try {
            remaining = Long.parseLong(value);
          } catch (NumberFormatException e) {
            state = State.PASS;
          }
          break;
        case "transfer-encoding":
          transferEncoding = true;
          chunked = value.endsWith("chunked");
          break;
        case "upgrade":
          upgrade = true;
          break;
        default:
      }
    }

    private void endOfHead(ChannelHandlerContext ctx) {
      if (contentLength && transferEncoding) ambiguous.put(ctx.channel().remoteAddress(), Boolean.TRUE);
      if (state == State.PASS) return;
      if (upgrade) state = State.PASS;
      else if (transferEncoding) state = chunked ? State.CHUNK_SIZE : State.PASS;
      else state = contentLength && remaining > 0 ? State.BODY : State.HEAD;
      if (state == State.CHUNK_SIZE || state == State.HEAD) remaining = 0;
      contentLength = false;
      transferEncoding = false;
      chunked = false;
      upgrade = false;
      firstLine = true;
    }
  }
}
