package dev.sextant.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Generation and hashing of API key secrets, session tokens and passwords (bcrypt, from at.favre.lib:bcrypt). */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  /** bcrypt work factor: 2^12 rounds, about a quarter of a second on a small server core. */
  private static final int BCRYPT_COST = 12;

  private Secrets() {}

  /** A random string of {@code length} base-62 characters. */
  public static String random(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    return new String(out);
  }

  /** SHA-256 of an API key secret or session token; secrets are long and random, so no salt is needed. */
  public static String sha256(String secret) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The most a password may have: bcrypt reads only the first 72 bytes, so longer ones are refused, not cut. */
  public static final int MAX_PASSWORD_BYTES = 72;

  /** A bcrypt hash ({@code $2a$12$...}) of {@code password}, which must be at most 72 bytes in UTF-8. */
  public static String hashPassword(String password) {
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_PASSWORD_BYTES) {
      throw new IllegalArgumentException("the password is " + bytes.length + " bytes long in UTF-8; at most "
          + MAX_PASSWORD_BYTES + " are allowed");
    }
    return BCrypt.withDefaults().hashToString(BCRYPT_COST, password.toCharArray());
  }

  /**
   * Whether {@code password} matches {@code stored}: a bcrypt hash, or the salted PBKDF2 hash
   * ({@code pbkdf2-sha256$iterations$salt$hash}) that earlier versions wrote. An empty or
   * unreadable hash matches nothing.
   */
  public static boolean verifyPassword(String password, String stored) {
    if (stored == null || stored.isEmpty()) return false;
    if (stored.startsWith("$2")) {
      byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > MAX_PASSWORD_BYTES) return false;
      return BCrypt.verifyer().verify(bytes, stored.getBytes(StandardCharsets.UTF_8)).verified;
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) return false;
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    byte[] actual = pbkdf2(password, salt, Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  /** Whether a hash that just verified should be replaced by a fresh bcrypt hash (older scheme or cost). */
  public static boolean needsRehash(String stored) {
    return !stored.startsWith("$2a$" + BCRYPT_COST + "$");
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
