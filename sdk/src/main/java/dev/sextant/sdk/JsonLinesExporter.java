package dev.sextant.sdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each batch as one JSON line in the {@code POST /v1/ingest} body format. A write that fails
 * halfway (a full disk) is truncated away, so the file never holds a torn line.
 */
final class JsonLinesExporter implements Exporter {

  private final Path file;
  private final JsonWriter writer = new JsonWriter(4096);
  private FileChannel channel;

  JsonLinesExporter(Path file) {
    this.file = file;
  }

  @Override
  public synchronized void export(Batch batch) throws IOException {
    writer.reset();
    BatchEncoder.write(writer, batch);
    byte[] json = writer.toByteArray();
    ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
    if (channel == null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    long before = channel.size();
    try {
      while (line.hasRemaining()) {
        channel.write(line);
      }
    } catch (IOException e) {
      try {
        channel.truncate(before);
      } catch (IOException ignored) {
        // the original error says more
      }
      throw e;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
