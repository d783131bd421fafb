package io.strata.cli.interop;

import static io.strata.cli.interop.ExternalTools.require;
import static io.strata.cli.interop.ExternalTools.requireRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential acceptance: the same Dockerfile and context built by docker (BuildKit) and by
 * strata give the same flattened root filesystem, the same config fields, and the same layers and
 * history (created_by, empty_layer). docker's image is moved into a second strata store to be
 * flattened by the same code.
 */
class DockerBuildDiffTest {
  private static final String BASE = "strata-diff/base:1";
  @org.junit.jupiter.api.io.TempDir static Path shared;
  private static Dockerd docker;
  private static StrataCli strata;
  private static StrataCli theirs;

  record Case(String name, String dockerfile, Map<String, String> files, List<String> flags) {
    Case(String name, String dockerfile, Map<String, String> files) {
      this(name, dockerfile, files, List.of());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("metadata", """
            FROM %s
            LABEL a=1 b="two words"
            ENV X=1 Y="a b"
            ENV Z $X-$Y
            EXPOSE 80 53/udp
            VOLUME /data
            STOPSIGNAL SIGINT
            USER 1000:1000
            CMD ["sh", "-c", "echo hi"]
            """, Map.of()),
        new Case("run-and-workdir", """
            FROM %s
            WORKDIR /app
            RUN mkdir -p sub && echo one > sub/f && ln -s sub/f link
            RUN rm /etc/motd
            ENTRYPOINT ["cat"]
            CMD ["/app/sub/f"]
            """, Map.of()),
        new Case("relative-command-path", """
            FROM %s
            WORKDIR /srv/app
            COPY --chmod=755 s.sh ./
            COPY --chmod=755 s.sh sub/
            RUN ["./s.sh", "exec-form"]
            RUN ./s.sh shell-form
            RUN ["sub/s.sh", "nested"]
            ENTRYPOINT ["./s.sh"]
            """, Map.of("s.sh", "#!/bin/sh\necho \"$1\" >> /srv/ran\n")),
        new Case("copy", """
            FROM %s
            COPY a.txt /dst/
            COPY dir /dir2
            COPY dir/ /dir3/
            COPY --chown=1000:1000 a.txt /owned.txt
            COPY --chmod=600 a.txt /private.txt
            COPY a.txt b.txt /many/
            """, Map.of("a.txt", "a", "b.txt", "b", "dir/x", "x", "dir/sub/y", "y")),
        new Case("multi-stage", """
            FROM %s AS one
            RUN mkdir /out && echo built > /out/f
            FROM %s
            COPY --from=one /out/f /f
            COPY --from=one /out /out2
            """, Map.of()),
        new Case("args", """
            ARG B=%s
            FROM ${B}
            ARG V=default
            ENV V=$V
            RUN echo "$V" > /v
            """, Map.of()),
        new Case("dockerignore", """
            FROM %s
            COPY . /ctx/
            """, Map.of(".dockerignore", "*.log\nsecret\n", "keep.txt", "k", "drop.log", "d", "secret", "s")),
        new Case("shell-forms", """
            FROM %s
            ENTRYPOINT echo entry
            CMD echo cmd
            """, Map.of()),
        new Case("shell-instruction", """
            FROM %s
            SHELL ["/bin/sh", "-c"]
            RUN echo $0 > /shell
            CMD echo done
            """, Map.of()),
        new Case("healthcheck", """
            FROM %s
            HEALTHCHECK --interval=30s --timeout=3s --retries=2 CMD echo ok
            """, Map.of()),
        new Case("healthcheck-none", """
            FROM %s
            HEALTHCHECK NONE
            """, Map.of()),
        new Case("workdir-relative", """
            FROM %s
            WORKDIR /a
            WORKDIR b
            WORKDIR c
            RUN echo here > here
            """, Map.of()),
        new Case("user-name", """
            FROM %s
            USER root
            RUN echo hi > /tmp/by-root
            USER 1000
            """, Map.of()),
        new Case("copy-glob", """
            FROM %s
            COPY *.txt /txt/
            COPY d?r/ /globbed/
            """, Map.of("a.txt", "a", "b.txt", "b", "c.md", "c", "dir/f", "f")),
        new Case("env-forms", """
            FROM %s
            ENV A=1 B=2
            ENV C 3 4
            ENV D="${A}x" E='$B'
            RUN echo "$A $B $C $D $E" > /env
            """, Map.of()),
        new Case("labels", """
            FROM %s
            LABEL one=1
            LABEL "two"="2" three="3 3"
            LABEL one=override
            """, Map.of()),
        new Case("volume-json", """
            FROM %s
            VOLUME ["/v1", "/v2"]
            VOLUME /v3 /v4
            """, Map.of()),
        new Case("expose-protocols", """
            FROM %s
            EXPOSE 80/tcp 443 53/udp
            """, Map.of()),
        new Case("onbuild", """
            FROM %s
            ONBUILD RUN echo triggered > /t
            """, Map.of()),
        new Case("delete-and-recreate", """
            FROM %s
            COPY dir /d
            RUN rm -r /d && mkdir /d && echo new > /d/x
            """, Map.of("dir/a", "a", "dir/sub/b", "b")),
        new Case("run-exec-form", """
            FROM %s
            RUN ["/bin/sh", "-c", "echo exec > /exec"]
            """, Map.of()),
        new Case("target", """
            FROM %s AS first
            RUN echo first > /which
            FROM %s AS second
            RUN echo second > /which
            """, Map.of(), List.of("--target", "first")),
        new Case("build-arg", """
            FROM %s
            ARG V=default
            ARG UNSET
            RUN echo "$V$UNSET" > /v
            ENV FROM_ARG=$V
            """, Map.of(), List.of("--build-arg", "V=given")),
        new Case("add-archive", """
            FROM %s
            ADD files.tar /unpacked/
            ADD plain.txt /plain.txt
            """, Map.of("plain.txt", "p", "files.tar", "")),
        new Case("run-mounts", """
            FROM %s
            RUN --mount=type=cache,target=/var/cache/x echo cached > /var/cache/x/f && echo ok > /ok
            RUN --mount=type=bind,source=plain.txt,target=/mnt/p.txt cat /mnt/p.txt > /copied
            RUN --mount=type=tmpfs,target=/scratch echo x > /scratch/y
            RUN --mount=type=bind,source=dir,target=/etc/motd-dir,rw echo gone > /etc/motd-dir/a && cat /etc/motd > /motd
            """, Map.of("plain.txt", "p", "dir/a", "a")),
        new Case("stopsignal-maintainer", """
            FROM %s
            MAINTAINER someone
            STOPSIGNAL 9
            """, Map.of()));
  }

  /**
   * The mount points Docker 20.10's BuildKit (0.8) leaves in a RUN's layer when the root lacks them;
   * BuildKit 0.12 and later (Docker 24+) remove them, as strata does. The one deliberate difference
   * (README, "Differences from Docker").
   */
  private static final Map<String, java.util.Set<String>> MOUNT_STUBS = Map.of("run-mounts",
      java.util.Set.of("var", "var/cache", "var/cache/x", "mnt", "scratch", "etc/motd-dir"));

  @BeforeAll
  static void start() throws Exception {
    require("docker");
    require("dockerd");
    requireRoot();
    docker = Dockerd.start(shared);
    strata = new StrataCli(shared.resolve("store"));
    theirs = new StrataCli(shared.resolve("theirs"));
    List<TarEntrySpec> e = new ArrayList<>(List.of(TarFixture.dir("bin", 0755), TarFixture.dir("etc", 0755),
        TarFixture.dir("tmp", 01777), TarFixture.file("bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")), 0755),
        TarFixture.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644),
        TarFixture.file("etc/group", "root:x:0:\n", 0644),
        TarFixture.file("etc/motd", "motd\n", 0644)));
    for (String a : List.of("sh", "echo", "mkdir", "cat", "rm", "ln")) e.add(TarFixture.symlink("busybox", "bin/" + a));
    Path rootfs = Files.write(shared.resolve("base.tar"), TarFixture.of(e).bytes());
    docker.run("import", rootfs.toString(), BASE);
    Path saved = shared.resolve("base-saved.tar");
    docker.run("save", "-o", saved.toString(), BASE);
    strata.ok("load", "-i", saved.toString()); // the same base image, ID for ID
  }

  @AfterAll
  static void stop() throws Exception {
    if (docker == null) return;
    ExternalTools.exec(docker.cmd("rmi", "-f", BASE));
    for (Case c : cases()) ExternalTools.exec(docker.cmd("rmi", "-f", "strata-diff/" + c.name() + ":1"));
    docker.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameImageAsDockerBuild(Case c) throws IOException {
    Path ctx = Files.createDirectories(shared.resolve("ctx-" + c.name()));
    Files.writeString(ctx.resolve("Dockerfile"), c.dockerfile().replace("%s", BASE));
    for (Map.Entry<String, String> f : c.files().entrySet()) {
      Path p = ctx.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      if (f.getKey().endsWith(".tar")) {
        Files.write(p, TarFixture.of(TarFixture.dir("t/", 0755), TarFixture.file("t/inside.txt", "in a tar", 0640),
            TarFixture.symlink("inside.txt", "t/link")).bytes());
      } else {
        Files.writeString(p, f.getValue());
      }
    }
    String tag = "strata-diff/" + c.name() + ":1";
    List<String> dockerArgs = new ArrayList<>(List.of("build", "-q", "--network", "none", "-t", tag));
    dockerArgs.addAll(c.flags());
    dockerArgs.add(ctx.toString());
    ExternalTools.Result built = ExternalTools.exec(withBuildKit(docker.cmd(dockerArgs.toArray(String[]::new))));
    assertEquals(0, built.code(), built.out() + built.err());
    List<String> strataArgs = new ArrayList<>(List.of("build", "-q", "--network", "none", "-t", tag));
    strataArgs.addAll(c.flags());
    strataArgs.add(ctx.toString());
    strata.ok(strataArgs.toArray(String[]::new));
    Path saved = shared.resolve(c.name() + "-docker.tar");
    docker.run("save", "-o", saved.toString(), tag);
    theirs.ok("load", "-i", saved.toString());

    JsonNode d = theirs.inspect(tag);
    JsonNode s = strata.inspect(tag);
    for (String field : List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts", "Volumes", "Labels",
        "StopSignal", "Healthcheck", "ArgsEscaped")) {
      assertEquals(d.path("Config").path(field), s.path("Config").path(field), c.name() + ": Config." + field);
    }
    assertEquals(StrataCli.layers(d).size(), StrataCli.layers(s).size(), c.name() + ": layer count");
    assertEquals(history(theirs, tag), history(strata, tag), c.name() + ": history");
    Path dw = Files.createDirectories(shared.resolve(c.name() + "-d"));
    Path sw = Files.createDirectories(shared.resolve(c.name() + "-s"));
    var dockers = new java.util.TreeMap<>(TreeSnapshot.of(theirs.flatten(tag, dw)).entries());
    dockers.keySet().removeAll(MOUNT_STUBS.getOrDefault(c.name(), java.util.Set.of()));
    assertEquals(dockers, TreeSnapshot.of(strata.flatten(tag, sw)).entries(), c.name() + ": flattened root");
  }

  /**
   * BuildKit through the docker CLI of the Debian package (20.10 builds with its built-in BuildKit;
   * a newer CLI elsewhere on PATH would need the buildx plugin).
   */
  private static List<String> withBuildKit(List<String> cmd) {
    List<String> c = new ArrayList<>(List.of("env", "DOCKER_BUILDKIT=1"));
    c.addAll(cmd);
    if (Files.isExecutable(Path.of("/usr/bin/docker"))) c.set(2, "/usr/bin/docker");
    return c;
  }

  /** created_by, comment and empty_layer of every entry, from the stored config. */
  private static List<String> history(StrataCli cli, String tag) {
    String json = cli.ok("history", "--no-trunc", "--format", "{{.CreatedBy}}\t{{.Comment}}\t{{.Size}}", tag);
    List<String> out = new ArrayList<>();
    for (String line : json.split("\n")) out.add(line.replaceAll("\t[^\t]*$", "") + (line.endsWith("\t0B") ? " (empty)" : ""));
    return out;
  }
}
