package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Table} lays out like Go's tabwriter with docker's settings (minwidth 10, padding 3). */
class TableTest {
  @Test
  void padsColumnsToWidestCellPlusThreeAndAtLeastTen() {
    String text = new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE")
        .row("busybox", "latest", "beae173ccac6", "2 years ago", "1.24MB")
        .row("<none>", "<none>", "0123456789ab", "About a minute ago", "0B")
        .render();
    assertEquals("""
        REPOSITORY   TAG       IMAGE ID       CREATED              SIZE
        busybox      latest    beae173ccac6   2 years ago          1.24MB
        <none>       <none>    0123456789ab   About a minute ago   0B
        """, text);
  }

  @Test
  void lastCellIsNotPaddedButAnEmptyLastCellKeepsThePaddingBeforeIt() {
    String text = new Table("SIZE", "COMMENT").row("0B", "").render();
    assertEquals("SIZE      COMMENT\n0B        \n", text);
  }

  @Test
  void widthCountsCodePointsNotChars() {
    String text = new Table("CREATED BY", "SIZE").row("/bin/sh -c echo 0123456789012345678901234…", "0B").render();
    String[] lines = text.split("\n");
    assertEquals(lines[0].indexOf("SIZE"), lines[1].codePointCount(0, lines[1].indexOf("0B")));
  }

  @Test
  void headlessTableHasOnlyRows() {
    assertEquals("a\n", Table.headless().row("a").render());
  }
}
