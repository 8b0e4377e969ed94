package dev.sextant.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.model.Batch;
import java.io.InputStream;

/** Reads one whole file written by another tool's SDK into canonical records. */
interface SeedDecoder {
  /**
   * @param mapper a parser with the server's limits
   * @throws dev.sextant.protocol.BadRequest when the file as a whole is not in this format
   */
  Batch decode(ObjectMapper mapper, InputStream in);
}
