package dev.sextant.http;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponseWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A streamed response body as a blocking {@link OutputStream}: bytes go out in chunks, and each
 * write of a chunk waits until the client has taken the previous one, so a slow client slows the
 * writer down instead of filling the heap.
 */
final class ResponseStream extends OutputStream {
  private static final int CHUNK = 64 * 1024;
  /** How long a client may take no data before the export is given up. */
  private static final long STALL_SECONDS = 120;

  private final HttpResponseWriter res;
  private final byte[] buf = new byte[CHUNK];
  private int n;

  ResponseStream(HttpResponseWriter res) {
    this.res = res;
  }

  @Override
  public void write(int b) throws IOException {
    if (n == buf.length) send();
    buf[n++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (n == buf.length) send();
      int k = Math.min(len, buf.length - n);
      System.arraycopy(b, off, buf, n, k);
      n += k;
      off += k;
      len -= k;
    }
  }

  @Override
  public void flush() throws IOException {
    send();
  }

  private void send() throws IOException {
    if (n == 0) return;
    if (!res.tryWrite(HttpData.copyOf(buf, 0, n))) throw new IOException("the client closed the connection");
    n = 0;
    try {
      res.whenConsumed().get(STALL_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the client read the export");
    } catch (ExecutionException e) {
      throw new IOException("the client closed the connection", e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the client read nothing for " + STALL_SECONDS + " s");
    }
  }
}
