package io.strata.cli;

import io.strata.cli.template.Template;
import io.strata.cli.template.TemplateException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.store.Event;
import io.strata.store.EventJournal;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code strata events} ({@code system events}): the store's event journal, as {@code docker events}
 * shows the daemon's. With {@code --since} the journal's events from then are shown first; without
 * {@code --until} new events follow as commands append them (the journal is polled) until the
 * process is interrupted; with {@code --until} it stops at that time, at once when it is past.
 */
final class EventsCommand extends CliCommand {
  private static final Duration POLL = Duration.ofMillis(100);
  /** An append's time is taken before its transaction commits: a reader past {@code until} looks once more after this. */
  private static final Duration COMMIT_GRACE = Duration.ofMillis(200);
  private static final int BATCH = 1000;

  EventsCommand(Session session) {
    super(session, "events", "Get real time events from the server");
    repeatable("FILTER", "Filter output based on conditions provided", "-f", "--filter");
    option("STRING", "Format output using a custom template: 'json' or a Go template", "--format");
    option("TIME", "Show all events created since timestamp", "--since");
    option("TIME", "Stream events until this timestamp", "--until");
  }

  @Override
  public Integer call() {
    Instant now = Instant.now();
    Instant since = Timestamps.parse(value("--since"), now, "since");
    Instant until = Timestamps.parse(value("--until"), now, "until");
    if (since != null && until != null && until.isBefore(since)) {
      throw new InvalidArgumentException("`since` time (" + seconds(since) + ") cannot be after `until` time ("
          + seconds(until) + ")");
    }
    EventFilter filter = new EventFilter(values("--filter"));
    Template template = template(value("--format"));
    EventJournal journal = session.images().store().events();
    PrintWriter out = session.out();
    ZoneId zone = ZoneId.systemDefault();
    // as the daemon: without --since or --until only what happens from now on
    long seq = since == null && until == null ? journal.lastSeq() : 0;
    while (true) {
      Instant readAt = Instant.now();
      List<Event> batch = journal.after(seq, since, until, BATCH);
      for (Event e : batch) {
        seq = e.seq();
        if (filter.test(e)) out.println(render(new EventMessage(e), template, zone));
      }
      out.flush();
      if (batch.size() == BATCH) continue;
      if (until != null && readAt.isAfter(until.plus(COMMIT_GRACE))) return ExitCodes.OK;
      sleep(until == null ? POLL : min(POLL, Duration.between(Instant.now(), until.plus(COMMIT_GRACE))));
    }
  }

  /** Docker's {@code makeTemplate}: {@code json} is {@code {{json .}}}; a template is tried on an empty message first. */
  private static Template template(String format) {
    if (format == null || format.isEmpty()) return null;
    Template t = OutputFormat.parse(format.equals("json") ? "{{json .}}" : format);
    render(new EventMessage(Event.of("", "", "", java.util.Map.of())), t, ZoneId.systemDefault());
    return t;
  }

  private static String render(EventMessage m, Template template, ZoneId zone) {
    if (template == null) return m.line(zone);
    try {
      return template.execute(m);
    } catch (TemplateException e) {
      throw new InvalidArgumentException("template parsing error: " + e.getMessage());
    }
  }

  /** The API's form of a time: Unix seconds and nanoseconds. */
  private static String seconds(Instant t) {
    return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
  }

  private static Duration min(Duration a, Duration b) {
    return b.isNegative() ? Duration.ofMillis(1) : a.compareTo(b) < 0 ? a : b;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.strata.errdefs.FailedPreconditionException("interrupted");
    }
  }
}
