package dev.sextant.protocol.langsmith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.model.RequestTooLarge;
import dev.sextant.protocol.BadRequest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
  private static final String B = "XyZ-boundary";

  /** Hands out at most {@code step} bytes per read, so delimiters straddle every possible split. */
  private static InputStream trickle(String body, int step) {
    return new FilterInputStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  private static List<String> parts(InputStream in) throws IOException {
    MultipartReader r = new MultipartReader(in, B);
    List<String> out = new ArrayList<>();
    MultipartReader.Part p;
    while ((p = r.next()) != null) {
      out.add(p.name() + "|" + p.contentType() + "|" + p.declaredLength() + "|"
          + new String(r.readBody(1 << 20), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void readsParts_whateverTheReadSizes() throws IOException {
    String body = "preamble to ignore\r\n--" + B + "\r\n"
        + "Content-Disposition: form-data; name=\"post.1\"\r\nContent-Type: application/json; length=9\r\n\r\n"
        + "{\"a\":\"\r\n\"}\r\n--" + B + "  \r\n"
        + "content-disposition: form-data; name=\"post.1.inputs\"; filename=\"x.json\"\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n"
        + "{}\r\n--" + B + "\r\n"
        + "Content-Disposition: form-data; name=\"attachment.1.f\"\r\n\r\n"
        + "--" + B.substring(0, 5) + " not quite\r\n--" + B + "--\r\nepilogue";
    List<String> expected = List.of(
        "post.1|application/json; length=9|9|{\"a\":\"\r\n\"}",
        "post.1.inputs|application/json|2|{}",
        "attachment.1.f|null|null|--XyZ-b not quite");
    for (int step : new int[] {1, 2, 3, 7, 13, 64, 100_000}) {
      assertThat(parts(trickle(body, step))).as("reads of %d bytes", step).isEqualTo(expected);
    }
  }

  @Test
  void acceptsBareLineFeeds() throws IOException {
    String body = "--" + B + "\nContent-Disposition: form-data; name=\"a\"\n\nx\r\n--" + B + "--";
    assertThat(parts(trickle(body, 5))).containsExactly("a|null|null|x");
  }

  @Test
  void truncatedBody_isABadRequest() {
    String body = "--" + B + "\r\nContent-Disposition: form-data; name=\"post.1\"\r\n\r\n{\"a\":1}";
    assertThatThrownBy(() -> parts(trickle(body, 4))).isInstanceOf(BadRequest.class)
        .hasMessage("the multipart body ended inside part post.1 without its closing boundary; check the boundary "
            + "parameter and that the body was sent whole");
    assertThatThrownBy(() -> parts(trickle("no boundary at all", 4))).isInstanceOf(BadRequest.class)
        .hasMessageStartingWith("the multipart body ended before the first part");
  }

  @Test
  void oversizePart_isTooLarge_declaredOrNot() throws IOException {
    String declared = "--" + B + "\r\nContent-Disposition: form-data; name=\"p\"\r\n"
        + "Content-Type: application/json; length=5000\r\n\r\n{}\r\n--" + B + "--";
    MultipartReader r = new MultipartReader(trickle(declared, 64), B);
    r.next();
    assertThatThrownBy(() -> r.readBody(100)).isInstanceOf(RequestTooLarge.class)
        .hasMessage("multipart part p is larger than 100 bytes; send smaller runs or attachments");

    String actual = "--" + B + "\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n" + "z".repeat(500)
        + "\r\n--" + B + "--";
    MultipartReader r2 = new MultipartReader(trickle(actual, 64), B);
    r2.next();
    assertThatThrownBy(() -> r2.skipBody(100)).isInstanceOf(RequestTooLarge.class);
  }

  @Test
  void malformedHeaders_areBadRequests() {
    String noColon = "--" + B + "\r\nthis is not a header\r\n\r\nx\r\n--" + B + "--";
    assertThatThrownBy(() -> parts(trickle(noColon, 8))).isInstanceOf(BadRequest.class)
        .hasMessage("multipart part 1 has a malformed header line \"this is not a header\"; expected Name: value");
    String garbageAfterBoundary = "--" + B + "garbage\r\n\r\nx\r\n--" + B + "--";
    assertThatThrownBy(() -> parts(trickle(garbageAfterBoundary, 8))).isInstanceOf(BadRequest.class)
        .hasMessageStartingWith("a multipart boundary must be followed by a line break");
    String badLength = "--" + B + "\r\nContent-Disposition: form-data; name=\"p\"\r\nContent-Length: ten\r\n\r\nx\r\n--"
        + B + "--";
    assertThatThrownBy(() -> parts(trickle(badLength, 8))).isInstanceOf(BadRequest.class)
        .hasMessage("multipart part p declares length \"ten\"; it must be a number of bytes");
    assertThatThrownBy(() -> new MultipartReader(trickle("", 1), "")).isInstanceOf(BadRequest.class);
  }

  @Test
  void headerParams_handleQuotesAndEscapes() {
    assertThat(HeaderParams.parse("form-data; name=\"a;b\\\"c\"; filename=x.txt; Length = 12"))
        .containsEntry("name", "a;b\"c").containsEntry("filename", "x.txt").containsEntry("length", "12");
  }
}
