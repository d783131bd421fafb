package io.strata.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Start-up tool used by the {@code strata} launcher before it trains the AOT cache: the JDK's AOT
 * cache skips classes older than class-file version 50 ("old class has been linked"), and picocli
 * ships Java 5 (49) classes, so its ~200 classes would be parsed and verified on every run. This
 * rewrites such jars once, with the JDK's class-file API, as version 52 with generated stack maps
 * (the bytecode itself is unchanged), and prints the classpath to launch with.
 *
 * <p>Usage: {@code ClassVersionUpgrade CLASSPATH OUT_DIR} → the classpath, with upgraded jars in OUT_DIR.
 */
public final class ClassVersionUpgrade {
  private static final int TARGET_MAJOR = 52;

  private ClassVersionUpgrade() {}

  public static void main(String[] args) throws IOException {
    Path outDir = Files.createDirectories(Path.of(args[1]));
    List<String> result = new ArrayList<>();
    for (String entry : args[0].split(":")) {
      if (entry.isEmpty()) continue;
      Path jar = Path.of(entry);
      result.add(entry.endsWith(".jar") && hasOldClasses(jar) ? upgrade(jar, outDir).toString() : entry);
    }
    System.out.println(String.join(":", result));
  }

  static boolean hasOldClasses(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().filter(e -> isClass(e.getName())).anyMatch(e -> {
        try (var in = zip.getInputStream(e)) {
          byte[] head = in.readNBytes(8);
          return head.length == 8 && ((head[6] & 0xff) << 8 | (head[7] & 0xff)) < 50;
        } catch (IOException ex) {
          return false;
        }
      });
    }
  }

  static Path upgrade(Path jar, Path outDir) throws IOException {
    Path target = outDir.resolve(jar.getFileName());
    Path temp = Files.createTempFile(outDir, ".upgrade", ".jar");
    try (ZipFile zip = new ZipFile(jar.toFile());
         URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
         OutputStream file = Files.newOutputStream(temp);
         ZipOutputStream out = new ZipOutputStream(file)) {
      ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
          ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
              .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
      ClassTransform version = (builder, element) -> {
        if (element instanceof ClassFileVersion) builder.withVersion(TARGET_MAJOR, 0);
        else builder.with(element);
      };
      ClassTransform transform = version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
      for (ZipEntry entry : zip.stream().toList()) {
        byte[] bytes;
        try (var in = zip.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        if (isClass(entry.getName())) {
          ClassModel model = classFile.parse(bytes);
          if (model.majorVersion() < 50) bytes = classFile.transformClass(model, transform);
        }
        out.putNextEntry(new ZipEntry(entry.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static boolean isClass(String name) {
    return name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class");
  }
}
