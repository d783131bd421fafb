package io.strata.build.shell;

import io.strata.errdefs.InvalidArgumentException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * BuildKit's word processor ({@code shell.Lex}), which expands the arguments of ENV, ARG, COPY,
 * WORKDIR, FROM, ...: single quotes (all literal), double quotes (the escape character escapes only
 * itself, {@code "} and {@code $}), the escape character elsewhere, {@code $NAME}, {@code ${NAME}}
 * and the modifiers {@code :- - :+ + :? ?}, prefix/suffix removal {@code # ## % %%} and
 * substitution {@code / //} with shell patterns. An environment lookup returning null means unset.
 * Instances hold no state between calls and may be shared.
 */
public final class ShellLexer {
  private final int escape;

  /** {@code escape} is the Dockerfile escape token: {@code \} or {@code `}. */
  public ShellLexer(char escape) {
    if (escape != '\\' && escape != '`') {
      throw new InvalidArgumentException("invalid escape token '" + escape + "': must be \\ or `");
    }
    this.escape = escape;
  }

  /** The names found in the environment and the ones looked up but unset, besides the word. */
  public record Result(String word, Set<String> matched, Set<String> unmatched) {
    public Result {
      matched = Set.copyOf(matched);
      unmatched = Set.copyOf(unmatched);
    }
  }

  /** The word with quotes and escapes removed and variables expanded. */
  public String processWord(String word, Function<String, String> env) {
    return new ShellWord(word, escape, env).process().word();
  }

  /**
   * The word split like a shell would: unquoted whitespace separates words, unquoted expansions
   * are split on whitespace, quoted text and escaped characters never are; empty words are dropped.
   */
  public List<String> processWords(String word, Function<String, String> env) {
    return new ShellWord(word, escape, env).process().words();
  }

  /**
   * The word expanded with its quotes kept as written (escapes still apply): how BuildKit expands
   * the body of a COPY or ADD heredoc whose delimiter is unquoted ({@code ExpandRaw}).
   */
  public String processWordKeepingQuotes(String word, Function<String, String> env) {
    return new ShellWord(word, escape, env, true).process().word();
  }

  public Result processWordWithMatches(String word, Function<String, String> env) {
    ShellWord run = new ShellWord(word, escape, env);
    return new Result(run.process().word(), run.matched(), run.unmatched());
  }
}
