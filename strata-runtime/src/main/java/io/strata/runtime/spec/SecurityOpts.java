package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.util.List;
import java.util.Set;

/**
 * {@code --security-opt}: strata applies {@code no-new-privileges[=true|false]} (also written with
 * {@code :}); the options of the LSMs and seccomp it does not have (label, apparmor, seccomp,
 * systempaths) are refused by name rather than ignored.
 */
public final class SecurityOpts {
  private static final String NNP = "no-new-privileges";
  private static final Set<String> UNSUPPORTED = Set.of("label", "apparmor", "seccomp", "systempaths");

  private SecurityOpts() {}

  /** The docker CLI's check of one option's form, then strata's refusal of what it does not apply. */
  public static void checkForm(String opt) {
    String[] con = split(opt);
    if (con.length == 1 && !con[0].equals(NNP)) {
      throw new InvalidArgumentException("Invalid --security-opt: " + FlagValues.quote(opt));
    }
    if (opt.equals("disable") || UNSUPPORTED.contains(con[0])) throw unsupported(opt);
  }

  /** Whether the options set no-new-privileges, as the daemon reads them, with its messages. */
  static boolean noNewPrivileges(List<String> opts) {
    boolean nnp = false;
    for (String opt : opts) {
      if (opt.equals(NNP)) {
        nnp = true;
        continue;
      }
      if (opt.equals("disable")) throw unsupported(opt);
      String[] con = split(opt);
      if (con.length != 2) throw new InvalidArgumentException("invalid --security-opt 1: " + FlagValues.quote(opt));
      if (UNSUPPORTED.contains(con[0])) throw unsupported(opt);
      if (!con[0].equals(NNP)) throw new InvalidArgumentException("invalid --security-opt 2: " + FlagValues.quote(opt));
      nnp = switch (con[1]) {
        case "1", "t", "T", "true", "TRUE", "True" -> true;
        case "0", "f", "F", "false", "FALSE", "False" -> false;
        default -> throw new InvalidArgumentException("invalid --security-opt 2: " + FlagValues.quote(opt));
      };
    }
    return nnp;
  }

  /** KEY=VALUE, or the older KEY:VALUE. */
  private static String[] split(String opt) {
    String[] con = opt.split("=", 2);
    return con.length == 1 && opt.contains(":") ? opt.split(":", 2) : con;
  }

  private static InvalidArgumentException unsupported(String opt) {
    return new InvalidArgumentException("--security-opt " + FlagValues.quote(opt)
        + " is not supported by strata (only no-new-privileges[=true|false] is)");
  }
}
