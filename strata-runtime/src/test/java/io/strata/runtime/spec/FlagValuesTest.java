package io.strata.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strata.errdefs.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The values of run's flags parsed as the docker CLI (Go's strconv, go-units, ParseCPUs) parses them. */
class FlagValuesTest {
  @ParameterizedTest
  @CsvSource({"0,0", "42,42", "-1,-1", "+7,7", "9223372036854775807,9223372036854775807",
      "-9223372036854775808,-9223372036854775808"})
  void decimalIntegers(String in, long out) {
    assertEquals(out, FlagValues.int64(in));
  }

  @Test
  void decimalIntegersRefuseWhatGoRefuses() {
    assertEquals("strconv.ParseInt: parsing \"abc\": invalid syntax", message(() -> FlagValues.int64("abc")));
    assertEquals("strconv.ParseInt: parsing \"\": invalid syntax", message(() -> FlagValues.int64("")));
    assertEquals("strconv.ParseInt: parsing \"0x10\": invalid syntax", message(() -> FlagValues.int64("0x10")));
    assertEquals("strconv.ParseInt: parsing \"1_000\": invalid syntax", message(() -> FlagValues.int64("1_000")));
    assertEquals("strconv.ParseInt: parsing \"--1\": invalid syntax", message(() -> FlagValues.int64("--1")));
    assertEquals("strconv.ParseInt: parsing \"1.5\": invalid syntax", message(() -> FlagValues.int64("1.5")));
    assertEquals("strconv.ParseInt: parsing \"9223372036854775808\": value out of range",
        message(() -> FlagValues.int64("9223372036854775808")));
  }

  @ParameterizedTest // pflag's int flags: strconv.ParseInt(s, 0, 64)
  @CsvSource({"10,10", "0x10,16", "0X1f,31", "010,8", "0o17,15", "0b101,5", "1_000,1000", "0x_ff,255", "-0x10,-16", "0,0"})
  void base0Integers(String in, long out) {
    assertEquals(out, FlagValues.int64Base0(in));
  }

  @ParameterizedTest
  @CsvSource({"08", "0x", "1__0", "_1", "1_", "0xg", "12a"})
  void base0RefusesMalformedNumbers(String in) {
    assertEquals("strconv.ParseInt: parsing \"" + in + "\": invalid syntax", message(() -> FlagValues.int64Base0(in)));
  }

  @ParameterizedTest // go-units RAMInBytes: binary units, an optional space, b/ib suffixes
  @CsvSource({"512,512", "1k,1024", "64m,67108864", "64M,67108864", "64mb,67108864", "64MiB,67108864", "64 m,67108864",
      "1.5g,1610612736", "1t,1099511627776", "1p,1125899906842624", "10b,10", "0,0"})
  void sizes(String in, long out) {
    assertEquals(out, FlagValues.ramInBytes(in));
  }

  @ParameterizedTest
  @CsvSource({"abc", "-5", "10x", "1e3", "m", "''", "1  m", "10kk"})
  void badSizes(String in) {
    assertEquals("invalid size: '" + in + "'", message(() -> FlagValues.ramInBytes(in)));
  }

  @Test
  void memorySwapTakesMinusOneForUnlimited() {
    assertEquals(-1, FlagValues.memorySwap("-1"));
    assertEquals(128L << 20, FlagValues.memorySwap("128m"));
    assertEquals("invalid size: '-2'", message(() -> FlagValues.memorySwap("-2")));
    assertEquals("strconv.ParseFloat: parsing \"1.2.3\": invalid syntax", message(() -> FlagValues.ramInBytes("1.2.3")));
  }

  @ParameterizedTest // docker's ParseCPUs: big.Rat
  @CsvSource({"1,1000000000", "0.5,500000000", "1.5,1500000000", ".25,250000000", "2.,2000000000", "1/4,250000000",
      "3/2,1500000000", "1e-1,100000000", "-1,-1000000000", "0,0", "0.000000001,1"})
  void cpus(String in, long nano) {
    assertEquals(nano, FlagValues.nanoCpus(in));
  }

  @Test
  void cpusRefuseWhatDockerRefuses() {
    assertEquals("failed to parse abc as a rational number", message(() -> FlagValues.nanoCpus("abc")));
    assertEquals("failed to parse  as a rational number", message(() -> FlagValues.nanoCpus("")));
    assertEquals("failed to parse 1/0 as a rational number", message(() -> FlagValues.nanoCpus("1/0")));
    assertEquals("value is too precise", message(() -> FlagValues.nanoCpus("0.0000000001")));
    assertEquals("value is too precise", message(() -> FlagValues.nanoCpus("1/3")));
  }

  static String message(Runnable r) {
    return assertThrows(InvalidArgumentException.class, r::run).getMessage();
  }
}
