package dev.sextant.protocol.langsmith;

import dev.sextant.model.RequestTooLarge;
import dev.sextant.model.Text;
import dev.sextant.protocol.BadRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body part by part from a stream, holding at most one buffer
 * of it in memory. Part bodies are found by scanning for the boundary, not by trusting a declared
 * length: the LangSmith JS SDK declares {@code ; length=} in UTF-16 code units, which is wrong for
 * any non-ASCII JSON. Declared lengths are used only to refuse oversize parts early.
 */
final class MultipartReader {
  static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final int BUFFER_BYTES = 64 * 1024;

  /** The headers of one part that matter here. */
  record Part(int index, String name, String filename, String contentType, Long declaredLength) {
    /** How the part is called in messages: its name, or its position when it has none. */
    String label() {
      return name != null ? name : "part " + (index + 1);
    }
  }

  private enum State { BODY, AFTER_DELIMITER, DONE }

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buf;
  private int pos;
  private int lim;
  /** No delimiter starts before this index (a scan cache, so small reads stay linear). */
  private int scanned;
  private boolean eof;
  private State state = State.BODY;
  private Part current;
  private int count;

  /**
   * @param boundary the {@code boundary} parameter of the request's Content-Type
   * @throws BadRequest when the boundary is not usable
   */
  MultipartReader(InputStream in, String boundary) {
    if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
      throw new BadRequest("invalid_multipart",
          "Content-Type multipart/form-data needs a boundary parameter of 1 to 200 characters");
    }
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buf = new byte[Math.max(BUFFER_BYTES, delimiter.length * 4)];
    // A virtual line break before the body lets the first delimiter, which has none, match like
    // every later one; whatever precedes it is preamble and is skipped like a part body.
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  /**
   * Moves to the next part, skipping what is left of the current one.
   *
   * @return the part's headers, or null after the closing delimiter
   */
  Part next() throws IOException {
    if (state == State.DONE) return null;
    while (skip() >= 0) {
      // the rest of the current part (or the preamble) is not wanted
    }
    if (!ensure(2)) throw truncated();
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      state = State.DONE;
      return null;
    }
    // Transport padding may follow a delimiter before its line break.
    while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) pos++;
    if (ensure(2) && buf[pos] == '\r' && buf[pos + 1] == '\n') {
      pos += 2;
    } else if (ensure(1) && buf[pos] == '\n') {
      pos++;
    } else {
      throw new BadRequest("invalid_multipart",
          "a multipart boundary must be followed by a line break or \"--\"; check the boundary parameter");
    }
    current = headers(count++);
    state = State.BODY;
    return current;
  }

  /**
   * Reads the rest of the current part's body.
   *
   * @throws RequestTooLarge when it is longer than {@code maxBytes}
   */
  byte[] readBody(long maxBytes) throws IOException {
    Part p = current;
    if (p != null && p.declaredLength() != null && p.declaredLength() > maxBytes) throw tooLarge(p, maxBytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = read(chunk, 0, chunk.length)) >= 0) {
      if (out.size() + (long) n > maxBytes) throw tooLarge(p, maxBytes);
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  /** Discards the rest of the current part's body, counting it against {@code maxBytes}. */
  void skipBody(long maxBytes) throws IOException {
    Part p = current;
    if (p != null && p.declaredLength() != null && p.declaredLength() > maxBytes) throw tooLarge(p, maxBytes);
    long total = 0;
    int n;
    while ((n = skip()) >= 0) {
      total += n;
      if (total > maxBytes) throw tooLarge(p, maxBytes);
    }
  }

  private static RequestTooLarge tooLarge(Part p, long maxBytes) {
    return new RequestTooLarge("multipart part " + (p == null ? "?" : p.label()) + " is larger than " + maxBytes
        + " bytes; send smaller runs or attachments");
  }

  private int skip() throws IOException {
    int n = available();
    if (n > 0) pos += n;
    return n;
  }

  /** Reads from the current part's body; -1 at its end (the delimiter is then consumed). */
  private int read(byte[] b, int off, int len) throws IOException {
    int n = available();
    if (n <= 0) return n;
    n = Math.min(n, len);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  /**
   * How many bytes of body can be taken at {@code pos}: more than 0, or -1 at the end of the part
   * (after consuming its delimiter). Fails when the stream ends before the closing delimiter.
   */
  private int available() throws IOException {
    if (state != State.BODY) return -1;
    while (true) {
      int found = find();
      if (found == pos) {
        pos += delimiter.length;
        state = State.AFTER_DELIMITER;
        return -1;
      }
      if (found > pos) return found - pos;
      // Hold back a tail that could be the start of a delimiter split across reads.
      int safe = lim - pos - (delimiter.length - 1);
      if (safe > 0) return safe;
      if (eof) throw truncated();
      fill();
    }
  }

  private int find() {
    int last = lim - delimiter.length;
    int i = Math.max(pos, scanned);
    byte first = delimiter[0];
    for (; i <= last; i++) {
      if (buf[i] != first) continue;
      int j = 1;
      while (j < delimiter.length && buf[i + j] == delimiter[j]) j++;
      if (j == delimiter.length) {
        scanned = i;
        return i;
      }
    }
    scanned = Math.max(pos, last + 1);
    return -1;
  }

  private Part headers(int index) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    int total = 0;
    while (true) {
      String line = line(MAX_HEADER_BYTES - total);
      total += line.length() + 2;
      if (line.isEmpty()) break;
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest("invalid_multipart", "multipart part " + (index + 1) + " has a malformed header line \""
            + Text.abbreviate(line, 64) + "\"; expected Name: value");
      }
      h.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    String name = null;
    String filename = null;
    String disposition = h.get("content-disposition");
    if (disposition != null) {
      Map<String, String> params = HeaderParams.parse(disposition);
      name = params.get("name");
      filename = params.get("filename");
    }
    String contentType = h.get("content-type");
    Long declared = null;
    String cl = h.get("content-length");
    if (cl == null && contentType != null) cl = HeaderParams.parse(contentType).get("length");
    if (cl != null) {
      try {
        declared = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        String label = name != null ? name : "part " + (index + 1);
        throw new BadRequest("invalid_multipart", "multipart part " + label + " declares length \""
            + Text.abbreviate(cl, 64) + "\"; it must be a number of bytes");
      }
    }
    return new Part(index, name, filename, contentType, declared);
  }

  /** One header line without its line break, read as UTF-8. */
  private String line(int maxBytes) throws IOException {
    int from = pos;
    while (true) {
      for (int i = from; i < lim; i++) {
        if (buf[i] == '\n') {
          int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
          String s = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
          pos = i + 1;
          return s;
        }
      }
      if (lim - pos > maxBytes) {
        throw new BadRequest("invalid_multipart",
            "a multipart part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
      }
      if (eof) throw truncated();
      from = lim;
      int before = pos;
      fill();
      from -= before - pos;
    }
  }

  private boolean ensure(int n) throws IOException {
    while (lim - pos < n && !eof) fill();
    return lim - pos >= n;
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      scanned = Math.max(0, scanned - pos);
      pos = 0;
    }
    if (lim == buf.length) return;
    int n = in.read(buf, lim, buf.length - lim);
    if (n < 0) eof = true;
    else lim += n;
  }

  private BadRequest truncated() {
    String where = current == null ? "before the first part" : "inside part " + current.label();
    return new BadRequest("invalid_multipart", "the multipart body ended " + where
        + " without its closing boundary; check the boundary parameter and that the body was sent whole");
  }
}
