package io.strata.runtime;

import io.strata.errdefs.InvalidArgumentException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Signal names and numbers as Docker parses them ({@code --stop-signal}, STOPSIGNAL; moby's {@code ParseSignal}). */
public final class Signals {
  private static final Map<String, Integer> LINUX = new HashMap<>();

  static {
    String[] names = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
        "WINCH", "IO", "PWR", "SYS"};
    for (int i = 0; i < names.length; i++) LINUX.put(names[i], i + 1);
    LINUX.put("IOT", 6);
    LINUX.put("CLD", 17);
    LINUX.put("POLL", 29);
    LINUX.put("RTMIN", 34);
    for (int i = 1; i <= 15; i++) LINUX.put("RTMIN+" + i, 34 + i);
    for (int i = 1; i <= 14; i++) LINUX.put("RTMAX-" + i, 64 - i);
    LINUX.put("RTMAX", 64);
  }

  private Signals() {}

  /** A number (not 0), or a name with or without SIG in any case; "Invalid signal: X" otherwise. */
  public static int parse(String raw) {
    if (raw.matches("[+-]?\\d{1,10}")) {
      long n = Long.parseLong(raw.startsWith("+") ? raw.substring(1) : raw);
      if (n != 0 && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) return (int) n;
    } else {
      String name = raw.toUpperCase(Locale.ROOT);
      Integer n = LINUX.get(name.startsWith("SIG") ? name.substring(3) : name);
      if (n != null) return n;
    }
    throw new InvalidArgumentException("Invalid signal: " + raw);
  }
}
