/**
 * Go's {@code text/template}, written for strata's {@code --format} and {@code inspect -f}:
 * {@link io.strata.cli.template.Lexer} and {@link io.strata.cli.template.Parser} build a tree of
 * {@link io.strata.cli.template.Node} records as Go's {@code text/template/parse} does (actions,
 * pipelines, variables and assignment, {@code if/else if/with/else with/range/break/continue/end},
 * {@code define/template/block}, trim markers, comments, Go's literals), and
 * {@link io.strata.cli.template.Executor} runs it with Go's semantics and messages, the builtin
 * functions ({@code and or not call html js urlquery index slice len print printf println eq ne
 * lt le gt ge}) and Go's {@code fmt} ({@link io.strata.cli.template.GoFmt}).
 * {@link io.strata.cli.template.DockerFuncs} adds the Docker CLI's functions.
 *
 * <p>Data is JSON (inspect output) or {@link io.strata.cli.template.Row}s (listings); see
 * {@link io.strata.cli.template.Values}. Where JSON lacks Go's static types the engine decides as
 * Docker's typed data would mostly have it: objects are maps (a missing key is
 * {@code <no value>}); an element type is inferred from the elements (all strings make a
 * {@code []string} for {@code join}); keys that are all integers make an integer-keyed map;
 * {@code index} of a missing or null map by a string is "" and {@code len} of null is 0 (a nil
 * {@code map[string]string}, as Docker's {@code .Config.Labels} of an unlabelled image). Nesting
 * of parentheses and of template calls is limited to 1000 (Go's WebAssembly limits).
 */
package io.strata.cli.template;
