package io.strata.build.parser;

/**
 * A here-document of RUN, COPY or ADD: its delimiter {@code name} (quotes removed), its body
 * (lines joined by {@code \n}, each ending in one; TABs kept even for {@code <<-}), whether
 * variables expand in it (the delimiter was unquoted), {@code <<-}, and the file descriptor
 * ({@code 3<<EOF}; 0 by default).
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp, int fd) {}
