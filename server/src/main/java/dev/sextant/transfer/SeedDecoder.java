package dev.sextant.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.model.Batch;
import dev.sextant.model.Position;
import java.io.InputStream;

/** Reads one whole file written by another tool's SDK into canonical records. */
interface SeedDecoder {
  /**
   * Each record and each problem is named by where in the file it came from, e.g. the session or
   * event at that position.
   *
   * @param mapper a parser with the server's limits
   * @throws dev.sextant.protocol.BadRequest when the file as a whole is not in this format
   */
  Batch<Position> decode(ObjectMapper mapper, InputStream in);
}
