package dev.sextant.protocol.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sextant.model.Batch;
import dev.sextant.model.Limits;
import dev.sextant.model.Position;
import dev.sextant.protocol.BadRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Decodes an OTLP trace export ({@code ExportTraceServiceRequest}) in either encoding into a
 * {@link Batch}: one run per trace, one step per span in request order, a span named by its
 * position among the request's spans and a run by its trace's position. Both encodings end in the
 * same mapping, so the same spans give the same records whichever way they were sent.
 */
public final class OtlpDecoder {
  /** How deep protobuf messages may nest: spans need 5 levels, attribute values get the rest. */
  private static final int PROTO_RECURSION_LIMIT = 64;
  /**
   * JSON levels OTLP/JSON may take beyond the limit of every other JSON body. Its envelope takes
   * 10 levels before a span attribute's value begins (12 for an event's), and each level of a
   * nested value takes 3 JSON levels ({@code {"arrayValue":{"values":[…]}}}) or 4 ({@code
   * {"kvlistValue":{"values":[{"key":…,"value":…}]}}}), so the same data needs about twice the
   * depth it would as plain JSON. The mapping keeps 8 levels of nested values and replaces deeper
   * ones by a marker.
   */
  static final int JSON_WRAPPER_LEVELS = 32;

  private final OtlpMapper mapper;
  private final OtlpJson json;

  public OtlpDecoder(Limits limits) {
    this.mapper = new OtlpMapper(limits);
    this.json = new OtlpJson(limits, limits.maxJsonDepth() + JSON_WRAPPER_LEVELS);
  }

  /** Decodes binary protobuf. Malformed input is a {@link BadRequest}. */
  public Batch<Position> decodeProtobuf(InputStream body) {
    return decode(parseProtobuf(body));
  }

  /** Decodes OTLP/JSON. Malformed input is a {@link BadRequest}; an unreadable span is an item error. */
  public Batch<Position> decodeJson(InputStream body) {
    OtlpJson.Parsed parsed = json.parse(body);
    return mapper.map(parsed.request(), parsed.spanErrors());
  }

  public Batch<Position> decode(ExportTraceServiceRequest request) {
    return mapper.map(request, Map.of());
  }

  public static ExportTraceServiceRequest parseProtobuf(InputStream body) {
    return parse(CodedInputStream.newInstance(body));
  }

  /** Decodes binary protobuf read in place from {@code body}. Malformed input is a {@link BadRequest}. */
  public Batch<Position> decodeProtobuf(byte[] body) {
    return decode(parseProtobuf(body));
  }

  /**
   * Parses binary protobuf in place: ids and other bytes fields are views of {@code body} rather
   * than copies, and strings are decoded from it directly ({@code body} must not change while the
   * request is in use).
   */
  public static ExportTraceServiceRequest parseProtobuf(byte[] body) {
    CodedInputStream in = CodedInputStream.newInstance(body);
    in.enableAliasing(true);
    return parse(in);
  }

  private static ExportTraceServiceRequest parse(CodedInputStream in) {
    try {
      in.setRecursionLimit(PROTO_RECURSION_LIMIT);
      return ExportTraceServiceRequest.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new BadRequest("invalid_protobuf",
          "the body is not a valid protobuf ExportTraceServiceRequest: " + e.getMessage());
    } catch (IOException e) {
      throw new BadRequest("invalid_body", "the body could not be read: " + e.getMessage());
    }
  }
}
