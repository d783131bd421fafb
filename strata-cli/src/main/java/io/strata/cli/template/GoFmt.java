package io.strata.cli.template;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Go's {@code fmt} over template values: {@code Sprint}, {@code Sprintln}, {@code Sprintf} with
 * Go's verbs, flags, width, precision and argument indexes, and its error forms
 * ({@code %!d(string=x)}, {@code %!s(MISSING)}, {@code %!(EXTRA int=1)}); {@code %v} prints maps
 * sorted by key as {@code map[a:1 b:2]}, lists as {@code [a b]}, nil as {@code <nil>}, floats in
 * Go's shortest {@code %g} form. Also {@code strconv.Quote} and its relatives.
 */
final class GoFmt {
  private static final String LOWER_HEX = "0123456789abcdef";
  private static final String UPPER_HEX = "0123456789ABCDEF";

  private final StringBuilder buf = new StringBuilder();
  private boolean widPresent;
  private boolean precPresent;
  private boolean minus;
  private boolean plus;
  private boolean sharp;
  private boolean space;
  private boolean zero;
  private boolean plusV;
  private boolean sharpV;
  private int wid;
  private int prec;
  private boolean reordered;
  private boolean goodArgNum;

  private GoFmt() {}

  /** {@code fmt.Sprint}: operands printed with %v, a space between two operands when neither is a string. */
  static String sprint(List<Object> args) {
    GoFmt p = new GoFmt();
    boolean prevString = false;
    for (int i = 0; i < args.size(); i++) {
      Object arg = args.get(i);
      boolean isString = arg instanceof String;
      if (i > 0 && !isString && !prevString) p.buf.append(' ');
      p.printArg(arg, 'v');
      prevString = isString;
    }
    return p.buf.toString();
  }

  /** {@code fmt.Sprintln}: operands printed with %v, separated by spaces, then a newline. */
  static String sprintln(List<Object> args) {
    GoFmt p = new GoFmt();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) p.buf.append(' ');
      p.printArg(args.get(i), 'v');
    }
    return p.buf.append('\n').toString();
  }

  /** {@code fmt.Sprintf}. */
  static String sprintf(String format, List<Object> args) {
    GoFmt p = new GoFmt();
    p.doPrintf(format, args);
    return p.buf.toString();
  }

  private void clearFlags() {
    widPresent = precPresent = minus = plus = sharp = space = zero = plusV = sharpV = false;
    wid = prec = 0;
  }

  private void doPrintf(String format, List<Object> a) {
    int end = format.length();
    int argNum = 0;
    boolean afterIndex;
    reordered = false;
    for (int i = 0; i < end; ) {
      goodArgNum = true;
      int lasti = i;
      while (i < end && format.charAt(i) != '%') i++;
      if (i > lasti) buf.append(format, lasti, i);
      if (i >= end) break;
      i++;
      clearFlags();
      flags:
      for (; i < end; i++) {
        switch (format.charAt(i)) {
          case '#' -> sharp = true;
          case '0' -> zero = !minus;
          case '+' -> plus = true;
          case '-' -> {
            minus = true;
            zero = false;
          }
          case ' ' -> space = true;
          default -> {
            break flags;
          }
        }
      }
      int[] an = argNumber(argNum, format, i, a.size());
      argNum = an[0];
      i = an[1];
      afterIndex = an[2] == 1;
      if (i < end && format.charAt(i) == '*') {
        i++;
        int[] w = intFromArg(a, argNum);
        wid = w[0];
        widPresent = w[1] == 1;
        argNum = w[2];
        if (!widPresent) buf.append("%!(BADWIDTH)");
        if (wid < 0) {
          wid = -wid;
          minus = true;
          zero = false;
        }
        afterIndex = false;
      } else {
        int[] n = parseNum(format, i, end);
        wid = n[0];
        widPresent = n[1] == 1;
        i = n[2];
        if (afterIndex && widPresent) goodArgNum = false;
      }
      if (i + 1 < end && format.charAt(i) == '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        an = argNumber(argNum, format, i, a.size());
        argNum = an[0];
        i = an[1];
        afterIndex = an[2] == 1;
        if (i < end && format.charAt(i) == '*') {
          i++;
          int[] w = intFromArg(a, argNum);
          prec = w[0];
          precPresent = w[1] == 1;
          argNum = w[2];
          if (prec < 0) {
            prec = 0;
            precPresent = false;
          }
          if (!precPresent) buf.append("%!(BADPREC)");
          afterIndex = false;
        } else {
          int[] n = parseNum(format, i, end);
          prec = n[0];
          precPresent = n[1] == 1;
          i = n[2];
          if (!precPresent) {
            prec = 0;
            precPresent = true;
          }
        }
      }
      if (!afterIndex) {
        an = argNumber(argNum, format, i, a.size());
        argNum = an[0];
        i = an[1];
      }
      if (i >= end) {
        buf.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (verb == '%') {
        buf.append('%');
      } else if (!goodArgNum) {
        buf.append("%!").appendCodePoint(verb).append("(BADINDEX)");
      } else if (argNum >= a.size()) {
        buf.append("%!").appendCodePoint(verb).append("(MISSING)");
      } else if (verb == 'w') {
        badVerb(verb, a.get(argNum++));
      } else {
        if (verb == 'v') {
          sharpV = sharp;
          sharp = false;
          plusV = plus;
          plus = false;
        }
        printArg(a.get(argNum++), verb);
      }
    }
    if (!reordered && argNum < a.size()) {
      clearFlags();
      buf.append("%!(EXTRA ");
      for (int k = argNum; k < a.size(); k++) {
        if (k > argNum) buf.append(", ");
        Object arg = a.get(k);
        if (arg instanceof Nothing) {
          buf.append("<nil>");
        } else {
          buf.append(Values.typeName(arg)).append('=');
          printArg(arg, 'v');
        }
      }
      buf.append(')');
    }
  }

  /** {@code [n]} at i: {new argNum, new i, found}. */
  private int[] argNumber(int argNum, String format, int i, int numArgs) {
    if (format.length() <= i || format.charAt(i) != '[') return new int[] {argNum, i, 0};
    reordered = true;
    String rest = format.substring(i);
    int index = 0;
    int width = 1;
    boolean ok = false;
    if (rest.length() >= 3) {
      for (int k = 1; k < rest.length(); k++) {
        if (rest.charAt(k) == ']') {
          int[] n = parseNum(rest, 1, k);
          if (n[1] == 1 && n[2] == k) {
            index = n[0] - 1;
            ok = true;
          }
          width = k + 1;
          break;
        }
      }
    }
    if (ok && index >= 0 && index < numArgs) return new int[] {index, i + width, 1};
    goodArgNum = false;
    return new int[] {argNum, i + width, ok ? 1 : 0};
  }

  /** {num, isnum, newi}. */
  private static int[] parseNum(String s, int start, int end) {
    if (start >= end) return new int[] {0, 0, end};
    int num = 0;
    boolean isnum = false;
    int i = start;
    for (; i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
      if (num > 1_000_000) return new int[] {0, 0, end};
      num = num * 10 + (s.charAt(i) - '0');
      isnum = true;
    }
    return new int[] {num, isnum ? 1 : 0, i};
  }

  /** {num, isInt, newArgNum}. */
  private static int[] intFromArg(List<Object> a, int argNum) {
    int num = 0;
    boolean isInt = false;
    int next = argNum;
    if (argNum < a.size()) {
      if (a.get(argNum) instanceof Long l && l == (int) (long) l) {
        num = (int) (long) l;
        isInt = true;
      }
      next = argNum + 1;
      if (num > 1_000_000 || num < -1_000_000) {
        num = 0;
        isInt = false;
      }
    }
    return new int[] {num, isInt ? 1 : 0, next};
  }

  private void printArg(Object arg, int verb) {
    if (arg instanceof Nothing) {
      if (verb == 'T' || verb == 'v') pad("<nil>");
      else badVerb(verb, arg);
      return;
    }
    if (verb == 'T') {
      fmtS(Values.typeName(arg));
      return;
    }
    printValue(arg, verb, 0);
  }

  private void printValue(Object v, int verb, int depth) {
    switch (v) {
      case Nothing n -> pad("<nil>");
      case Boolean b -> fmtBool(b, verb);
      case Long l -> fmtIntegerVerb(l, verb);
      case Double d -> fmtFloatVerb(d, verb);
      case Complex c -> fmtComplex(c, verb);
      case String s -> fmtString(s, verb);
      case GoMap m -> {
        if (sharpV) {
          buf.append(m.goType()).append('{');
        } else {
          buf.append("map[");
        }
        int i = 0;
        for (String key : m.sortedKeys()) {
          if (i++ > 0) buf.append(sharpV ? ", " : " ");
          printValue(m.keyValue(key), verb, depth + 1);
          buf.append(':');
          printValue(m.get(key), verb, depth + 1);
        }
        buf.append(sharpV ? '}' : ']');
      }
      case GoList l -> {
        buf.append(sharpV ? l.goType() + "{" : "[");
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) buf.append(sharpV ? ", " : " ");
          printValue(l.get(i), verb, depth + 1);
        }
        buf.append(sharpV ? '}' : ']');
      }
      case Struct s -> {
        if (depth == 0) buf.append('&');
        if (sharpV) buf.append(s.goType().replaceFirst("^\\*", ""));
        buf.append('{');
        int i = 0;
        for (String name : s.fieldNames()) {
          Object field = s.member(name);
          if (field instanceof Func) continue;
          if (i++ > 0) buf.append(sharpV ? ", " : " ");
          if (plusV || sharpV) buf.append(name).append(':');
          printValue(Values.of(field), verb, depth + 1);
        }
        buf.append('}');
      }
      case Func f -> {
        if (verb == 'v' || verb == 'p') pad("0x" + Integer.toHexString(System.identityHashCode(f)));
        else badVerb(verb, f);
      }
      default -> buf.append(v);
    }
  }

  private void badVerb(int verb, Object arg) {
    buf.append("%!").appendCodePoint(verb).append('(');
    if (arg instanceof Nothing) {
      buf.append("<nil>");
    } else {
      buf.append(Values.typeName(arg)).append('=');
      printArg(arg, 'v');
    }
    buf.append(')');
  }

  private void fmtBool(boolean b, int verb) {
    if (verb == 't' || verb == 'v') pad(b ? "true" : "false");
    else badVerb(verb, b);
  }

  private void fmtIntegerVerb(long v, int verb) {
    switch (verb) {
      case 'v', 'd' -> fmtInteger(v, 10, verb, false);
      case 'b' -> fmtInteger(v, 2, verb, false);
      case 'o', 'O' -> fmtInteger(v, 8, verb, false);
      case 'x' -> fmtInteger(v, 16, verb, false);
      case 'X' -> fmtInteger(v, 16, verb, true);
      case 'c' -> pad(runeString(v));
      case 'q' -> {
        if (v >= 0 && v <= Character.MAX_CODE_POINT) pad(quoteRune(validRune(v), plus));
        else badVerb(verb, v);
      }
      case 'U' -> fmtUnicode(v);
      default -> badVerb(verb, v);
    }
  }

  private void fmtInteger(long v, int base, int verb, boolean upper) {
    boolean negative = v < 0;
    long u = negative ? -v : v;
    int precision = 0;
    if (precPresent) {
      precision = prec;
      if (prec == 0 && u == 0) {
        boolean oldZero = zero;
        zero = false;
        writePadding(wid);
        zero = oldZero;
        return;
      }
    } else if (zero && !minus && widPresent) {
      precision = wid;
      if (negative || plus || space) precision--;
    }
    String digits = Long.toUnsignedString(u, base);
    if (upper) digits = digits.toUpperCase(java.util.Locale.ROOT);
    StringBuilder s = new StringBuilder();
    for (int i = digits.length(); i < precision; i++) s.append('0');
    s.append(digits);
    if (sharp) {
      switch (base) {
        case 2 -> s.insert(0, "0b");
        case 8 -> {
          if (s.charAt(0) != '0') s.insert(0, '0');
        }
        case 16 -> s.insert(0, upper ? "0X" : "0x");
        default -> { }
      }
    }
    if (verb == 'O') s.insert(0, "0o");
    if (negative) s.insert(0, '-');
    else if (plus) s.insert(0, '+');
    else if (space) s.insert(0, ' ');
    boolean oldZero = zero;
    zero = false;
    pad(s.toString());
    zero = oldZero;
  }

  private static int validRune(long c) {
    if (c < 0 || c > Character.MAX_CODE_POINT || (c >= 0xD800 && c <= 0xDFFF)) return 0xFFFD;
    return (int) c;
  }

  private static String runeString(long c) {
    return new String(Character.toChars(validRune(c)));
  }

  private void fmtUnicode(long u) {
    int precision = 4;
    if (precPresent && prec > 4) precision = prec;
    String hex = Long.toHexString(u).toUpperCase(java.util.Locale.ROOT);
    StringBuilder s = new StringBuilder("U+");
    for (int i = hex.length(); i < precision; i++) s.append('0');
    s.append(hex);
    if (sharp && u >= 0 && u <= Character.MAX_CODE_POINT && isPrint((int) u)) {
      s.append(" '").appendCodePoint((int) u).append('\'');
    }
    boolean oldZero = zero;
    zero = false;
    pad(s.toString());
    zero = oldZero;
  }

  private void fmtFloatVerb(double v, int verb) {
    switch (verb) {
      case 'v' -> fmtFloat(v, 'g', -1, verb);
      case 'b', 'g', 'G', 'x', 'X' -> fmtFloat(v, (char) verb, -1, verb);
      case 'f', 'F' -> fmtFloat(v, 'f', 6, verb);
      case 'e', 'E' -> fmtFloat(v, (char) verb, 6, verb);
      default -> badVerb(verb, v);
    }
  }

  private void fmtFloat(double v, char fmt, int precision, int verb) {
    if (precPresent) precision = prec;
    String num = GoNumbers.formatFloat(v, fmt, precision);
    char sign;
    String body;
    if (num.charAt(0) == '-' || num.charAt(0) == '+') {
      sign = num.charAt(0);
      body = num.substring(1);
    } else {
      sign = '+';
      body = num;
    }
    if (space && sign == '+' && !plus) sign = ' ';
    if (body.charAt(0) == 'I' || body.charAt(0) == 'N') {
      boolean oldZero = zero;
      zero = false;
      if (body.charAt(0) == 'N' && !space && !plus) pad(body);
      else pad(sign + body);
      zero = oldZero;
      return;
    }
    if (sharp && verb != 'b') {
      body = sharpFloat(body, verb == 'v' || fmt == 'g' || fmt == 'G' || fmt == 'x' ? precision : 0, fmt);
    }
    if (plus || sign != '+') {
      int len = body.length() + 1;
      if (zero && !minus && widPresent && wid > len) {
        buf.append(sign);
        writePadding(wid - len);
        buf.append(body);
        return;
      }
      pad(sign + body);
      return;
    }
    pad(body);
  }

  /** Go's '#' for floats: always a decimal point, and %g keeps its trailing zeros. */
  private static String sharpFloat(String num, int digits, char fmt) {
    if (digits == -1) digits = 6;
    String tail = "";
    boolean hasDecimalPoint = false;
    boolean sawNonzeroDigit = false;
    StringBuilder n = new StringBuilder();
    for (int i = 0; i < num.length(); i++) {
      char c = num.charAt(i);
      if (c == '.') {
        hasDecimalPoint = true;
        n.append(c);
      } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && fmt != 'x' && fmt != 'X')) {
        tail = num.substring(i);
        break;
      } else {
        if (c != '0') sawNonzeroDigit = true;
        if (sawNonzeroDigit) digits--;
        n.append(c);
      }
    }
    if (!hasDecimalPoint) {
      if (n.length() == 1 && n.charAt(0) == '0') digits--;
      n.append('.');
    }
    for (; digits > 0; digits--) n.append('0');
    return n.append(tail).toString();
  }

  private void fmtComplex(Complex c, int verb) {
    switch (verb) {
      case 'v', 'b', 'g', 'G', 'x', 'X', 'f', 'F', 'e', 'E' -> {
        boolean oldPlus = plus;
        buf.append('(');
        fmtFloatVerb(c.re(), verb);
        plus = true;
        fmtFloatVerb(c.im(), verb);
        buf.append("i)");
        plus = oldPlus;
      }
      default -> badVerb(verb, c);
    }
  }

  private void fmtString(String s, int verb) {
    switch (verb) {
      case 'v' -> {
        if (sharpV) fmtQ(s);
        else fmtS(s);
      }
      case 's' -> fmtS(s);
      case 'x' -> fmtSx(s, LOWER_HEX);
      case 'X' -> fmtSx(s, UPPER_HEX);
      case 'q' -> fmtQ(s);
      default -> badVerb(verb, s);
    }
  }

  private String truncate(String s) {
    if (precPresent && s.codePointCount(0, s.length()) > prec) {
      return s.substring(0, s.offsetByCodePoints(0, prec));
    }
    return s;
  }

  private void fmtS(String s) {
    pad(truncate(s));
  }

  private void fmtQ(String s) {
    s = truncate(s);
    if (sharp && canBackquote(s)) pad("`" + s + "`");
    else pad(quoteWith(s, '"', plus));
  }

  private void fmtSx(String s, String digits) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int length = b.length;
    if (precPresent && prec < length) length = prec;
    int width = 2 * length;
    if (width > 0) {
      if (space) {
        if (sharp) width *= 2;
        width += length - 1;
      } else if (sharp) {
        width += 2;
      }
    } else {
      if (widPresent) writePadding(wid);
      return;
    }
    if (widPresent && wid > width && !minus) writePadding(wid - width);
    if (sharp) buf.append('0').append(digits == UPPER_HEX ? 'X' : 'x');
    for (int i = 0; i < length; i++) {
      if (space && i > 0) {
        buf.append(' ');
        if (sharp) buf.append('0').append(digits == UPPER_HEX ? 'X' : 'x');
      }
      int c = b[i] & 0xff;
      buf.append(digits.charAt(c >> 4)).append(digits.charAt(c & 0xf));
    }
    if (widPresent && wid > width && minus) writePadding(wid - width);
  }

  private void pad(String s) {
    if (!widPresent || wid == 0) {
      buf.append(s);
      return;
    }
    int width = wid - s.codePointCount(0, s.length());
    if (!minus) {
      writePadding(width);
      buf.append(s);
    } else {
      buf.append(s);
      writePadding(width);
    }
  }

  private void writePadding(int n) {
    if (n <= 0) return;
    char c = zero && !minus ? '0' : ' ';
    buf.repeat(c, n);
  }

  /** {@code strconv.Quote}. */
  static String quote(String s) {
    return quoteWith(s, '"', false);
  }

  static String quoteWith(String s, char quote, boolean asciiOnly) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append(quote);
    for (int i = 0; i < s.length(); ) {
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      appendEscapedRune(sb, Character.isSurrogate((char) r) && r < 0x10000 ? 0xFFFD : r, quote, asciiOnly);
    }
    return sb.append(quote).toString();
  }

  /** {@code strconv.QuoteRune} (or {@code QuoteRuneToASCII}). */
  static String quoteRune(int r, boolean asciiOnly) {
    StringBuilder sb = new StringBuilder("'");
    appendEscapedRune(sb, r, '\'', asciiOnly);
    return sb.append('\'').toString();
  }

  private static void appendEscapedRune(StringBuilder sb, int r, char quote, boolean asciiOnly) {
    if (r == quote || r == '\\') {
      sb.append('\\').appendCodePoint(r);
      return;
    }
    if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) {
      sb.appendCodePoint(r);
      return;
    }
    switch (r) {
      case 7 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 11 -> sb.append("\\v");
      default -> {
        if (r < ' ' || r == 0x7f) {
          sb.append("\\x").append(LOWER_HEX.charAt(r >> 4)).append(LOWER_HEX.charAt(r & 0xf));
        } else if (r < 0x10000) {
          sb.append("\\u").append(hex(r, 4));
        } else {
          sb.append("\\U").append(hex(r, 8));
        }
      }
    }
  }

  private static String hex(int r, int digits) {
    String h = Integer.toHexString(r);
    return "0".repeat(Math.max(0, digits - h.length())) + h;
  }

  /** {@code strconv.CanBackquote}. */
  static boolean canBackquote(String s) {
    for (int i = 0; i < s.length(); ) {
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      if (r == 0xFEFF || Character.isSurrogate((char) r) && r < 0x10000) return false;
      if (r < ' ' && r != '\t' || r == '`' || r == 0x7f) return false;
    }
    return true;
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  static boolean isPrint(int r) {
    if (r < 0x20) return false;
    if (r < 0x7f) return true;
    if (r < 0xa0) return false;
    return switch (Character.getType(r)) {
      case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.CONTROL,
           Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED -> false;
      default -> true;
    };
  }

  /** Go's {@code %#U}: {@code U+0023 '#'}, without the quoted rune when it is not printable. */
  static String sharpU(int r) {
    String s = "U+" + hex(r, 4).toUpperCase(java.util.Locale.ROOT);
    return isPrint(r) ? s + " '" + new String(Character.toChars(r)) + "'" : s;
  }
}
