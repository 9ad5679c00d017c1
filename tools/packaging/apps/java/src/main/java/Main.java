// Smoke test of the Java package, run by tools/packaging/smoke.ts in a Maven project outside the repo.
//
// Shop.java is the README's Java example, verbatim. Argument 1: a file holding the message the
// TypeScript library gives for the same anti-pattern.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

public final class Main {
  public static void main(String[] args) throws Exception {
    Shop.database();
    String manifests = Files.readString(Path.of("dist/shop.k8s.yaml"));
    if (!Pattern.compile("^kind: StatefulSet$", Pattern.MULTILINE).matcher(manifests).find()) {
      fail("java: dist/shop.k8s.yaml has no StatefulSet");
    }
    String message = Shop.guarded();
    String expected = Files.readString(Path.of(args[0]));
    // jsii's Java runtime appends the kernel's JavaScript stack to the message: compare what precedes it.
    String text = message == null ? null : message.split("\n@jsii/kernel\\.RuntimeError: ", 2)[0];
    if (!expected.equals(text)) {
      fail("java: the guards' message differs from TypeScript's.\n--- java\n" + message + "\n--- typescript\n" + expected);
    }
    System.out.println("java: StatefulSet synthesized; guards message identical to TypeScript");
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(1);
  }
}
