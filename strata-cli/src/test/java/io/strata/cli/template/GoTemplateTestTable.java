package io.strata.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.template.Func.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the cases translated from Go's text/template tests (src/test/resources/testdata/go-template). */
final class GoTemplateTestTable {
  private GoTemplateTestTable() {}

  /**
   * The functions Go's exec tests register ({@code testExecute}'s FuncMap), written again here;
   * {@code count}, {@code stringer} and {@code vfunc} need channels and Go types and are left out.
   */
  static final Map<String, Func> GO_TEST_FUNCS = funcs();

  private static Map<String, Func> funcs() {
    Map<String, Func> m = new LinkedHashMap<>();
    put(m, Func.variadic("add", args -> args.stream().mapToLong(a -> (Long) a).sum(), Type.INT));
    put(m, Func.of("die", args -> {
      throw new Func.Failure("die");
    }));
    put(m, Func.of("doPanic", args -> {
      throw new Func.Failure("custom panic string");
    }));
    put(m, Func.variadic("dddArg",
        args -> GoFmt.sprintln(List.of(args.getFirst(), new GoList(args.subList(1, args.size())))), Type.INT, Type.STRING));
    put(m, Func.of("echo", List::getFirst, Type.ANY));
    put(m, Func.variadic("makemap", args -> {
      if (args.size() % 2 != 0) throw new Func.Failure("bad makemap");
      Map<String, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < args.size(); i += 2) map.put((String) args.get(i), args.get(i + 1));
      return map;
    }, Type.STRING));
    put(m, Func.of("mapOfThree", args -> Map.of("three", 3)));
    put(m, Func.of("oneArg", args -> "oneArg=" + args.getFirst(), Type.STRING));
    put(m, Func.of("returnInt", args -> 7L));
    put(m, Func.of("twoArgs", args -> "twoArgs=" + args.get(0) + args.get(1), Type.STRING, Type.STRING));
    put(m, Func.of("typeOf", args -> Values.typeName(args.getFirst()), Type.ANY));
    put(m, Func.of("valueString", args -> "value is ignored", Type.STRING));
    put(m, Func.of("zeroArgs", args -> "zeroArgs"));
    // parse_test.go's builtins: printf (a Go builtin here) and contains
    put(m, Func.of("contains", args -> ((String) args.get(0)).contains((String) args.get(1)), Type.STRING, Type.STRING));
    return Map.copyOf(m);
  }

  private static void put(Map<String, Func> m, Func f) {
    m.put(f.name(), f);
  }

  static JsonNode read(String resource) {
    try (InputStream in = GoTemplateTestTable.class.getResourceAsStream("/testdata/go-template/" + resource)) {
      if (in == null) throw new IllegalStateException("missing test resource " + resource);
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
