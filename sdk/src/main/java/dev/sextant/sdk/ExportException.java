package dev.sextant.sdk;

/** Why an export failed, in words a user can act on. Never leaves the SDK. */
final class ExportException extends Exception {
  ExportException(String message) {
    super(message, null, false, false);
  }
}
