package dev.sextant.sdk.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one table of personal-data and secret detectors, shared by the SDK and the server so both
 * find the same things. Not API: it may change in any release.
 *
 * <p>A string is first read once, character by character, to collect cheap hints (an {@code @},
 * the longest run of digits, a known key prefix, …); only the rules whose hint is present run
 * their regular expression. Identifier-like strings (UUIDs, model names, trace ids, versions,
 * dates) carry none of the hints or fail the rules' boundaries and checksums, so they pass
 * unchanged and cheaply.
 */
public final class Detectors {
  public static final String EMAIL = "email";
  public static final String PHONE = "phone";
  public static final String CARD = "card";
  public static final String IBAN = "iban";
  public static final String IP = "ip";
  public static final String JWT = "jwt";
  public static final String SECRET = "secret";
  public static final String PRIVATE_KEY = "private_key";

  private static final int H_AT = 1;
  private static final int H_PHONE = 1 << 1;
  private static final int H_CARD = 1 << 2;
  private static final int H_IBAN = 1 << 3;
  private static final int H_IPV4 = 1 << 4;
  private static final int H_IPV6 = 1 << 5;
  private static final int H_KEY = 1 << 6;
  private static final int H_PEM = 1 << 7;
  private static final int H_URL = 1 << 8;
  private static final int H_JWT = 1 << 9;
  private static final int H_ASSIGN = 1 << 10;
  /** The hints of the rules that run before the card rule, and before the phone rule (see {@link #RULES}). */
  private static final int BEFORE_CARD = H_PEM | H_URL | H_JWT | H_KEY | H_AT | H_IBAN;
  private static final int BEFORE_PHONE = BEFORE_CARD | H_CARD | H_IPV4 | H_IPV6;

  private record Rule(String kind, int hint, Pattern pattern, Predicate<String> verify) {}

  /** In order: a rule runs on the text the rules before it left. */
  private static final List<Rule> RULES = List.of(
      new Rule(PRIVATE_KEY, H_PEM, Pattern.compile(
          "-----BEGIN[A-Z ]{0,30} PRIVATE KEY( BLOCK)?-----[\\s\\S]*?(?:-----END[A-Z ]{0,30} PRIVATE KEY( BLOCK)?-----|$)"),
          null),
      // user:password@ in a URL; the rest of the URL stays
      new Rule(SECRET, H_URL, Pattern.compile("(?<=://)[^\\s/?#@:\"']{1,256}:[^\\s/?#@\"']{1,256}(?=@)"), null),
      new Rule(JWT, H_JWT, Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*"), null),
      new Rule(SECRET, H_KEY, Pattern.compile(String.join("|",
          // AWS access key ids
          "\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[0-9A-Z]{16}\\b",
          // GCP API keys, OAuth client secrets, OAuth access tokens
          "\\bAIza[0-9A-Za-z_-]{35}", "\\bGOCSPX-[0-9A-Za-z_-]{20,}", "\\bya29\\.[0-9A-Za-z_-]{20,}",
          // OpenAI (sk-, sk-proj-, sk-svcacct-) and Anthropic (sk-ant-api03-)
          "\\b(?:sk|rk)-[A-Za-z0-9_-]{20,}",
          // GitHub tokens
          "\\bgh[pousr]_[A-Za-z0-9]{30,}", "\\bgithub_pat_[A-Za-z0-9_]{22,}",
          // Slack tokens and webhooks
          "\\bxox[abposr]-[A-Za-z0-9-]{10,}", "hooks\\.slack\\.com/services/[A-Za-z0-9/_-]{10,}",
          // Stripe secret, restricted, publishable keys and webhook secrets
          "\\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}", "\\bwhsec_[A-Za-z0-9]{20,}",
          // Azure: storage account keys and SAS signatures in connection strings, AD client secrets
          "(?<=AccountKey=|SharedAccessKey=|sig=)[A-Za-z0-9%+/=]{20,}", "\\b[A-Za-z0-9_~.-]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}",
          // Authorization header values
          "(?i)\\b(?:bearer|basic)\\s+[A-Za-z0-9._~+/=-]{12,}")), Detectors::keyLike),
      new Rule(EMAIL, H_AT, Pattern.compile(
          "[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b"), null),
      new Rule(IBAN, H_IBAN, Pattern.compile("(?<![\\w-])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![\\w-])"),
          Detectors::ibanChecksum),
      new Rule(CARD, H_CARD, Pattern.compile("(?<![\\w.+-])[2-6]\\d{3}(?:[ -]?\\d){9,15}(?![\\w-])"), Detectors::luhn),
      new Rule(IP, H_IPV4, Pattern.compile(
          "(?<![\\w.-])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\w.-])"),
          null),
      new Rule(IP, H_IPV6, Pattern.compile("(?<![\\w:.-])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\\w:-])"),
          Detectors::ipv6),
      new Rule(PHONE, H_PHONE, Pattern.compile(String.join("|",
          // international: +country code, then groups
          "(?<![\\w+.-])\\+[1-9]\\d{0,3}(?:[ .-]?\\(?\\d{1,5}\\)?){1,6}(?![\\w.-])",
          // North American: (415) 555-0100, 415-555-0100, 415.555.0100, 415 555 0100
          "(?<![\\w+.-])(?:\\(\\d{3}\\) ?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}(?![\\w.-])",
          // national with a trunk 0: 020 7946 0958, 06 12 34 56 78, 030/12345678, 0412345678
          "(?<![\\w+.-])\\(?0[1-9]\\d{0,4}\\)?(?:[ /-]?\\d{2,8}){1,4}(?![\\w.-])")), Detectors::phoneDigits));

  private static final Pattern KEY_WORDS = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");
  private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "passphrase", "secret",
      "secrets", "token", "apikey", "authorization", "auth", "cookie", "credential", "credentials", "privatekey",
      "signature", "sig", "dsn", "bearer");
  private static final Set<String> KEY_PREFIXES = Set.of("api", "access", "private", "secret", "client", "account",
      "signing", "encryption", "master", "session", "storage", "shared");
  private static final Set<String> ID_WORDS = Set.of("user", "userid", "enduser", "username", "email", "mail",
      "customer", "account", "session", "sessionid", "thread", "conversation", "login", "person", "member",
      "visitor", "client", "tenant", "owner", "principal");

  private Detectors() {}

  /** Marker written in place of detected text of {@code kind}: {@code [email]}. */
  public static String marker(String kind) {
    return "[" + kind + "]";
  }

  /** {@code text} with every detection replaced by its marker; the same instance when nothing is found. */
  public static String redact(String text) {
    if (text == null) return null;
    int hints = hints(text);
    return hints == 0 ? text : redact(text, hints);
  }

  /**
   * {@link #redact} with every rule tried, whatever the hints say: the reference the hints are
   * tested against (a hint may only skip a rule that cannot match). Slow; not for ingest.
   */
  public static String redactTryingEveryRule(String text) {
    return text == null ? null : redact(text, ~0);
  }

  private static String redact(String text, int hints) {
    String out = text;
    for (Rule rule : RULES) {
      if ((hints & rule.hint) != 0) out = replace(rule, out);
    }
    if ((hints & H_ASSIGN) != 0) out = assignments(out);
    return out;
  }

  /** The kind of the first detection in {@code text}, or null when there is none. */
  public static String detect(String text) {
    if (text == null) return null;
    int hints = hints(text);
    if (hints == 0) return null;
    for (Rule rule : RULES) {
      if ((hints & rule.hint) == 0) continue;
      Matcher m = rule.pattern.matcher(text);
      while (m.find()) {
        if (rule.verify == null || rule.verify.test(m.group())) return rule.kind;
      }
    }
    return (hints & H_ASSIGN) != 0 && assignments(text) != text ? SECRET : null;
  }

  /**
   * True when a key names a secret ({@code password}, {@code api_key}, {@code Authorization},
   * {@code x-auth-token}, {@code clientSecret}, …): its value is replaced whole.
   */
  public static boolean secretKey(String key) {
    return (keyClass(key) & SECRET_KEY) != 0;
  }

  /**
   * True when a key names an identifier users group by: a user, account, customer, session or
   * thread ({@code user_id}, {@code user.id}, {@code enduser.id}, {@code langfuse.session.id}, …).
   * Personal data found in such a value is pseudonymised rather than replaced by a marker.
   */
  public static boolean identifierKey(String key) {
    return (keyClass(key) & ID_KEY) != 0;
  }

  private static final int SECRET_KEY = 1;
  private static final int ID_KEY = 2;
  private static final int KEY_CACHE_MAX = 4096;
  /** Keys repeat from one step to the next; a bounded cache keeps their classification to a lookup. */
  private static final Map<String, Integer> KEY_CLASS = new ConcurrentHashMap<>();

  private static int keyClass(String key) {
    if (key == null || key.isEmpty()) return 0;
    Integer cached = KEY_CLASS.get(key);
    if (cached != null) return cached;
    int c = classify(key);
    if (key.length() <= 64 && KEY_CLASS.size() < KEY_CACHE_MAX) KEY_CLASS.put(key, c);
    return c;
  }

  private static int classify(String key) {
    int out = 0;
    String prev = "";
    for (String word : KEY_WORDS.split(key)) {
      String w = word.toLowerCase(Locale.ROOT);
      if (SECRET_WORDS.contains(w) || (w.equals("key") && KEY_PREFIXES.contains(prev)) || w.endsWith("password")
          || w.endsWith("secret") || w.endsWith("apikey") || w.endsWith("token")) {
        out |= SECRET_KEY;
      }
      if (ID_WORDS.contains(w)) out |= ID_KEY;
      prev = w;
    }
    return out;
  }

  /**
   * A cheap first look for names in free text ({@code password=…}) before {@link #classify}: does
   * the name contain one of the {@link #NAME_HINTS}, in any case? Allocates nothing.
   */
  private static boolean maySecretName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = (char) (name.charAt(i) | 0x20);
      if (c < 'a' || c > 't') continue;
      for (String w : NAME_HINTS) {
        if (w.charAt(0) == c && name.regionMatches(true, i, w, 0, w.length())) return true;
      }
    }
    return false;
  }

  private static final List<String> NAME_HINTS = List.of("pass", "pwd", "secret", "token", "key", "auth", "cookie",
      "credential", "sig", "dsn", "bearer");

  // ---- hints: one pass over the characters

  /**
   * Lower-case hex digits and dashes with at least one letter, as trace, span and UUID ids are:
   * no rule can match one. Every rule needs a character outside that set (an upper-case letter, a
   * separator, a key's prefix) or a number whose boundaries exclude letters, digits and dashes on
   * either side, so a number would have to be the whole string, which then has no letter.
   */
  private static boolean hexId(String s) {
    boolean letter = false;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'f') letter = true;
      else if ((c < '0' || c > '9') && c != '-') return false;
    }
    return letter;
  }

  private static int hints(String s) {
    int n = s.length();
    if (n < 6 || hexId(s)) return 0;
    int hints = 0;
    int digits = 0;
    int digitRun = 0;
    int maxDigitRun = 0;
    int dots = 0;
    int colons = 0;
    boolean ibanStart = false;
    boolean plus = false;
    // Within the current run of digits and separators: the digits since the first place a card
    // number can begin, -1 before one (after no word character, '+', '.' or '-'). A number can only
    // match where such a count reaches its minimum at a place where a match can end: a digit or ')'
    // not followed by a word character or '-'. A phone number also has at most MAX_PHONE_DIGITS:
    // the run's digits before each place one can begin are kept (oldest first, those too far back
    // for any number to end here dropped), so that one in a long run of digits, such as a numeric
    // or zero-padded id, is not taken for a phone number.
    int runDigits = 0;
    PhoneStarts phoneStarts = null;
    int cardDigits = -1;
    boolean phoneFits = false;
    boolean cardFits = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if ((c == '+' || c == '(' || (c >= '0' && c <= '9')) && (i == 0 || !numberGlue(s.charAt(i - 1)))) {
        if (phoneStarts == null) phoneStarts = new PhoneStarts();
        phoneStarts.add(runDigits);
        if (cardDigits < 0 && c >= '2' && c <= '6') cardDigits = 0;
      }
      if ((c >= '0' && c <= '9') || c == ')') {
        if (c != ')') {
          digits++;
          runDigits++;
          if (++digitRun > maxDigitRun) maxDigitRun = digitRun;
          if (cardDigits >= 0) cardDigits++;
        }
        if (i + 1 == n || !wordOrDash(s.charAt(i + 1))) {
          int most = phoneStarts == null ? -1 : phoneStarts.most(runDigits);
          if (most >= 9 || (plus && most >= 8)) phoneFits = true;
          if (cardDigits >= 13) cardFits = true;
        }
        if (c != ')') continue;
      }
      switch (c) {
        // separators inside a phone or card number do not end a run of digits
        case ' ', '(', ')', '/' -> {
          continue;
        }
        case '-' -> {
          if (s.startsWith("-----BEGIN", i)) hints |= H_PEM;
          continue;
        }
        case '.' -> {
          dots++;
          continue;
        }
        case '+' -> {
          plus = true;
          continue;
        }
        case ':' -> {
          colons++;
          if (s.startsWith("://", i)) hints |= H_URL;
          hints |= H_ASSIGN;
        }
        case '=' -> hints |= H_ASSIGN;
        case '@' -> hints |= H_AT;
        case '~' -> hints |= H_KEY;
        case 's' -> {
          if (s.startsWith("sk-", i) || s.startsWith("sk_", i) || s.startsWith("sig=", i)) hints |= H_KEY;
        }
        case 'r', 'p' -> {
          if (s.startsWith("k-", i + 1) || s.startsWith("k_", i + 1)) hints |= H_KEY;
        }
        case 'g' -> {
          if (s.startsWith("h", i + 1) && i + 3 < n && s.charAt(i + 3) == '_' || s.startsWith("ithub_pat_", i + 1)) {
            hints |= H_KEY;
          }
        }
        case 'x' -> {
          if (s.startsWith("ox", i + 1)) hints |= H_KEY;
        }
        case 'y' -> {
          if (s.startsWith("a29.", i + 1)) hints |= H_KEY;
        }
        case 'w' -> {
          if (s.startsWith("hsec_", i + 1)) hints |= H_KEY;
        }
        case 'h' -> {
          if (s.startsWith("ooks.slack.com", i + 1)) hints |= H_KEY;
        }
        case 'e' -> {
          if (s.startsWith("yJ", i + 1)) hints |= H_JWT;
        }
        case 'b' -> {
          if (s.regionMatches(true, i + 1, "earer ", 0, 6) || s.regionMatches(true, i + 1, "asic ", 0, 5)) {
            hints |= H_KEY;
          }
        }
        default -> {
          if (c >= 'A' && c <= 'Z') {
            // an IBAN starts with a country code and two check digits
            if (i + 3 < n && isUpper(s.charAt(i + 1)) && isDigit(s.charAt(i + 2)) && isDigit(s.charAt(i + 3))
                && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)))) {
              ibanStart = true;
            }
            if (upperKeyStart(s, i)) hints |= H_KEY;
          }
        }
      }
      digitRun = 0;
      runDigits = 0;
      if (phoneStarts != null) phoneStarts.clear();
      cardDigits = -1;
    }
    if (ibanStart && digits >= 8 && n >= 15) hints |= H_IBAN;
    if (dots >= 3 && digits >= 4) hints |= H_IPV4;
    if (colons >= 2) hints |= H_IPV6;
    // A card or phone number can only begin where the hint saw a start, unless a rule before it
    // rewrites the text: a replacement changes the character before what follows it.
    if (cardFits || (maxDigitRun >= 13 && (hints & BEFORE_CARD) != 0)) hints |= H_CARD;
    if (phoneFits || ((maxDigitRun >= 9 || (plus && maxDigitRun >= 8)) && (hints & BEFORE_PHONE) != 0)) {
      hints |= H_PHONE;
    }
    return hints;
  }

  /** The most digits {@link #phoneDigits} lets a phone number have. */
  private static final int MAX_PHONE_DIGITS = 15;

  /**
   * The places in a run of digits and separators where a phone number can begin, as the run's
   * digits before each, oldest first. A place more than {@link #MAX_PHONE_DIGITS} digits back is
   * dropped: no number ending later can begin there. So at most that many + 1 are kept.
   */
  private static final class PhoneStarts {
    private final int[] ring = new int[MAX_PHONE_DIGITS + 1];
    private int first;
    private int count;

    /** A number can begin after the run's first {@code runDigits} digits. */
    void add(int runDigits) {
      drop(runDigits);
      if (count == 0 || ring[(first + count - 1) % ring.length] != runDigits) {
        ring[(first + count++) % ring.length] = runDigits;
      }
    }

    /** The most digits a number ending after {@code runDigits} digits can have: from the oldest start in reach; -1 for none. */
    int most(int runDigits) {
      drop(runDigits);
      return count == 0 ? -1 : runDigits - ring[first];
    }

    /** The run ended. */
    void clear() {
      count = 0;
    }

    private void drop(int runDigits) {
      while (count > 0 && ring[first] < runDigits - MAX_PHONE_DIGITS) {
        first = (first + 1) % ring.length;
        count--;
      }
    }
  }

  /** The characters no card or phone number may be followed by ({@code [\w-]}, in both rules). */
  private static boolean wordOrDash(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  /** The characters a card or phone number may not follow ({@code [\w+.-]} in their rules). */
  private static boolean numberGlue(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '+'
        || c == '.' || c == '-';
  }

  /** AWS ids (four capitals), GCP ({@code AIza}, {@code GOCSPX-}), Azure connection strings, {@code Bearer}. */
  private static boolean upperKeyStart(String s, int i) {
    char c = s.charAt(i);
    if (c == 'A') {
      if (s.startsWith("AIza", i) || s.startsWith("AccountKey=", i)) return true;
      if (i + 20 > s.length()) return false;
      for (String prefix : AWS_PREFIXES) {
        if (s.startsWith(prefix, i)) return true;
      }
      return false;
    }
    if (c == 'G') return s.startsWith("GOCSPX-", i);
    if (c == 'S') return s.startsWith("SharedAccessKey=", i);
    if (c == 'B') return s.startsWith("Bearer ", i) || s.startsWith("Basic ", i) || s.startsWith("BEARER ", i);
    return false;
  }

  private static final String[] AWS_PREFIXES = {"AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA",
      "ANPA", "ANVA", "APKA"};

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String replace(Rule rule, String text) {
    Matcher m = rule.pattern.matcher(text);
    if (!m.find()) return text;
    StringBuilder out = null;
    int last = 0;
    do {
      if (rule.verify != null && !rule.verify.test(m.group())) continue;
      if (out == null) out = new StringBuilder(text.length());
      out.append(text, last, m.start()).append('[').append(rule.kind).append(']');
      last = m.end();
    } while (m.find());
    if (out == null) return text;
    return out.append(text, last, text.length()).toString();
  }

  /** {@code password=…}, {@code api_key: …}, {@code ?token=…}: the value after a secret-like name. */
  private static String assignments(String text) {
    StringBuilder out = null;
    int last = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if ((c != '=' && c != ':') || text.startsWith("://", i)) continue;
      int nameEnd = i;
      while (nameEnd > 0 && (text.charAt(nameEnd - 1) == ' ' || text.charAt(nameEnd - 1) == '"')) nameEnd--;
      int nameStart = nameEnd;
      while (nameStart > 0 && isNameChar(text.charAt(nameStart - 1))) nameStart--;
      if (nameStart == nameEnd) continue;
      String name = text.substring(nameStart, nameEnd);
      if (!maySecretName(name) || (classify(name) & SECRET_KEY) == 0) continue;
      int valueStart = i + 1;
      while (valueStart < n && (text.charAt(valueStart) == ' ' || text.charAt(valueStart) == '"')) valueStart++;
      int valueEnd = valueStart;
      while (valueEnd < n && !isValueEnd(text.charAt(valueEnd))) valueEnd++;
      if (valueEnd == valueStart || text.startsWith("[secret]", valueStart)) continue;
      if (out == null) out = new StringBuilder(n);
      out.append(text, last, valueStart).append("[secret]");
      last = valueEnd;
      i = valueEnd - 1;
    }
    if (out == null) return text;
    return out.append(text, last, n).toString();
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
  }

  private static boolean isValueEnd(char c) {
    return Character.isWhitespace(c) || c == '"' || c == '\'' || c == ',' || c == ';' || c == '&' || c == '}'
        || c == ')' || c == ']';
  }

  // ---- checks of a candidate match

  /** Keys mix digits and letters, or are one long run of them; {@code sk-learn-classifier} is a name. */
  private static boolean keyLike(String s) {
    boolean digit = false;
    boolean letter = false;
    int run = 0;
    int maxRun = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean d = c >= '0' && c <= '9';
      boolean l = Character.isLetter(c);
      digit |= d;
      letter |= l;
      run = d || l ? run + 1 : 0;
      maxRun = Math.max(maxRun, run);
    }
    return (digit && letter) || maxRun >= 20;
  }

  static boolean luhn(String s) {
    int sum = 0;
    int count = 0;
    boolean twice = false;
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') continue;
      int d = c - '0';
      if (twice && (d *= 2) > 9) d -= 9;
      sum += d;
      twice = !twice;
      count++;
    }
    return count >= 13 && count <= 19 && sum % 10 == 0;
  }

  static boolean ibanChecksum(String s) {
    String iban = s.replace(" ", "");
    if (iban.length() < 15 || iban.length() > 34) return false;
    String moved = iban.substring(4) + iban.substring(0, 4);
    int mod = 0;
    for (int i = 0; i < moved.length(); i++) {
      char c = moved.charAt(i);
      int v = c <= '9' ? c - '0' : c - 'A' + 10;
      mod = v > 9 ? (mod * 100 + v) % 97 : (mod * 10 + v) % 97;
    }
    return mod == 1;
  }

  private static boolean phoneDigits(String s) {
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') digits++;
    }
    return s.charAt(0) == '+' ? digits >= 8 && digits <= 15 : digits >= 9 && digits <= 13;
  }

  /** Eight groups, or fewer with exactly one {@code ::}; at least three groups written. */
  private static boolean ipv6(String s) {
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) return false;
    int groups = 0;
    int written = 0;
    for (String g : s.split(":", -1)) {
      groups++;
      if (!g.isEmpty()) written++;
      else if (doubleColon < 0) return false;
    }
    return doubleColon < 0 ? groups == 8 : written >= 2 && groups <= 9;
  }
}
