package io.casefeed.archrules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleReader;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The never-rules of casefeed's charter, checked on one module's production classes (its
 * {@code target/classes}; tests are left out). Each module runs them from one small
 * {@code ArchitectureTest}; the allowances it passes name the class and say why, so an exception
 * is read in review rather than found later.
 *
 * <pre>{@code HouseRules.forModule("io.casefeed.collector").component().check();}</pre>
 */
public final class HouseRules {

  /** Stand-ins, the test broker and the benchmarks: test scope only. */
  static final String[] TEST_ONLY = {
      "io.casefeed.localcloud..", "io.casefeed.kafka.embedded..", "org.gaul.s3proxy..", "io.casefeed.bench.."};
  /** The components, which never depend on one another. */
  static final String[] COMPONENTS = {
      "io.casefeed.collector", "io.casefeed.streams", "io.casefeed.sink", "io.casefeed.notifier"};
  /** The JDK packages whose public names a casefeed class must not take. */
  private static final Set<String> JDK_PACKAGES = Set.of("java.lang", "java.util", "java.util.concurrent", "java.time",
      "java.io", "java.net", "java.nio.file", "java.net.http");
  /** Kafka's public API packages (internals are left out: nobody imports them by accident). */
  private static final List<String> KAFKA_PREFIXES = List.of("org/apache/kafka/clients/", "org/apache/kafka/common/",
      "org/apache/kafka/streams/", "org/apache/kafka/server/");

  /** One class of each Kafka jar whose public names count. */
  private static final List<String> KAFKA_ANCHORS = List.of("org.apache.kafka.clients.consumer.Consumer",
      "org.apache.kafka.streams.KafkaStreams", "org.apache.kafka.server.common.MetadataVersion");

  private final String rootPackage;
  private final JavaClasses classes;
  private final Map<String, String> timeAllowed = new LinkedHashMap<>();
  private final Map<String, String> namesAllowed = new LinkedHashMap<>();
  private final Map<String, String> testOnlyAllowed = new LinkedHashMap<>();
  private boolean cycles = true;
  private boolean component;
  private boolean testOnly = true;

  private HouseRules(String rootPackage, JavaClasses classes) {
    this.rootPackage = rootPackage;
    this.classes = classes;
  }

  /** The rules for the production classes under {@code rootPackage} (e.g. {@code io.casefeed.sink}). */
  public static HouseRules forModule(String rootPackage) {
    return new HouseRules(rootPackage, new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages(rootPackage));
  }

  /** The rules on test classes too: for the rules' own tests, which show each rule failing. */
  static HouseRules forAnyClasses(String rootPackage) {
    return new HouseRules(rootPackage, new ClassFileImporter().importPackages(rootPackage));
  }

  /** This module is a component: it also never depends on another component. */
  public HouseRules component() {
    this.component = true;
    return this;
  }

  /** This module may use stand-ins or the broker (the demo, the benchmarks, the stand-ins themselves). */
  public HouseRules testOnlyDependenciesAllowed(String why) {
    requireReason(why);
    this.testOnly = false;
    return this;
  }

  /** Classes under {@code packageOrClass} may use stand-ins or the broker, for the reason given. */
  public HouseRules allowTestOnlyDependencies(String packageOrClass, String why) {
    requireReason(why);
    testOnlyAllowed.put(packageOrClass, why);
    return this;
  }

  /** {@code className} may read the system clock or sleep itself, for the reason given. */
  public HouseRules allowRawTime(String className, String why) {
    requireReason(why);
    timeAllowed.put(className, why);
    return this;
  }

  /** {@code className} may keep a name a Kafka or JDK class has, for the reason given. */
  public HouseRules allowName(String className, String why) {
    requireReason(why);
    namesAllowed.put(className, why);
    return this;
  }

  /** Leaves the package-cycle rule out, for the reason given. */
  public HouseRules allowPackageCycles(String why) {
    requireReason(why);
    this.cycles = false;
    return this;
  }

  /** Checks every rule and fails with all the violations at once. */
  public void check() {
    if (classes.isEmpty()) {
      throw new AssertionError("no production classes found under " + rootPackage + ": is the root package right?");
    }
    List<ArchRule> all = new ArrayList<>();
    if (testOnly) {
      all.add(noClasses().that(notIn(testOnlyAllowed))
          .should().dependOnClassesThat().resideInAnyPackage(TEST_ONLY)
          .because("stand-ins, the test broker and the benchmarks are test scope only"));
    }
    if (component) {
      List<String> others = Stream.of(COMPONENTS).filter(c -> !c.equals(rootPackage)).map(c -> c + "..").toList();
      all.add(noClasses().should().dependOnClassesThat().resideInAnyPackage(others.toArray(String[]::new))
          .because("components meet through Kafka topics and common, never through each other's classes"));
    }
    if (cycles) {
      all.add(slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles()
          .because("packages of one module form layers")
          // A module without sub-packages has no cycle to find.
          .allowEmptyShould(true));
    }
    all.add(noClasses().should().dependOnClassesThat().resideInAPackage("com.sun.net.httpserver..")
        .because("every server is on the one HTTP layer, io.casefeed.common.http"));
    all.add(noClasses().that(notIn(timeAllowed)).and().resideOutsideOfPackage("io.casefeed.common.time..")
        .should().callMethod(Thread.class, "sleep", long.class)
        .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
        .orShould().callMethod(TimeUnit.class, "sleep", long.class)
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .because("time goes through the one seam (an injected Clock and the Sleeper), so tests need not wait"));
    all.add(classes().that(notIn(namesAllowed)).should(takeNoKafkaOrJdkName())
        .because("a name that shadows a Kafka or JDK class misleads every reader who imports both"));

    List<String> failures = new ArrayList<>();
    for (ArchRule rule : all) {
      EvaluationResult result = rule.evaluate(classes);
      if (result.hasViolation()) {
        failures.add(result.getFailureReport().toString());
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join(System.lineSeparator(), failures));
    }
  }

  private static void requireReason(String why) {
    if (why == null || why.isBlank()) {
      throw new IllegalArgumentException("an allowance needs its reason");
    }
  }

  /** Classes not named (or not under a package named) in {@code allowed}. */
  private static DescribedPredicate<JavaClass> notIn(Map<String, String> allowed) {
    return DescribedPredicate.describe("are not allowed by name " + allowed.keySet(), c -> allowed.keySet().stream()
        .noneMatch(a -> c.getName().equals(a) || c.getName().startsWith(a + ".") || c.getName().startsWith(a + "$")));
  }

  private static ArchCondition<JavaClass> takeNoKafkaOrJdkName() {
    return new ArchCondition<>("take no simple name of a public Kafka or JDK class") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        if (item.isNestedClass() || item.isAnonymousClass() || item.getSimpleName().isEmpty()) {
          return;
        }
        String taken = ReservedNames.INSTANCE.owner(item.getSimpleName());
        if (taken != null) {
          events.add(SimpleConditionEvent.violated(item,
              item.getName() + " is named like " + taken));
        }
      }
    };
  }

  /** Simple name to a public Kafka or JDK class of that name, read once per test JVM. */
  static final class ReservedNames {
    static final ReservedNames INSTANCE = new ReservedNames();

    private final Map<String, String> names = new LinkedHashMap<>();

    private ReservedNames() {
      readJdk();
      readKafka();
    }

    String owner(String simpleName) {
      return names.get(simpleName);
    }

    private void readJdk() {
      Module base = Object.class.getModule();
      try (ModuleReader reader = base.getLayer().configuration().findModule("java.base").orElseThrow()
          .reference().open()) {
        reader.list().forEach(entry -> addIfPublic(entry, ClassLoader.getPlatformClassLoader(), true));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // java.net.http lives outside java.base.
      ModuleLayer.boot().configuration().findModule("java.net.http").ifPresent(m -> {
        try (ModuleReader reader = m.reference().open()) {
          reader.list().forEach(entry -> addIfPublic(entry, ClassLoader.getPlatformClassLoader(), true));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }

    private void readKafka() {
      ClassLoader loader = HouseRules.class.getClassLoader();
      Set<String> jars = new TreeSet<>();
      // Jars seldom carry directory entries, so each Kafka jar is found through one class it holds.
      for (String anchor : KAFKA_ANCHORS) {
        try {
          URL jar = Class.forName(anchor, false, loader).getProtectionDomain().getCodeSource().getLocation();
          if (jar != null && jar.getPath().endsWith(".jar")) {
            jars.add(jar.getPath());
          }
        } catch (ClassNotFoundException | LinkageError e) {
          // That Kafka jar is not on this module's classpath.
        }
      }
      try {
        for (String jar : jars) {
          try (JarFile file = new JarFile(jar)) {
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
              String entry = entries.nextElement().getName();
              if (KAFKA_PREFIXES.stream().anyMatch(entry::startsWith) && !entry.contains("/internals/")) {
                addIfPublic(entry, loader, false);
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void addIfPublic(String entry, ClassLoader loader, boolean jdk) {
      if (!entry.endsWith(".class") || entry.contains("$") || entry.endsWith("module-info.class")
          || entry.endsWith("package-info.class")) {
        return;
      }
      String className = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
      int dot = className.lastIndexOf('.');
      if (jdk && !JDK_PACKAGES.contains(className.substring(0, dot))) {
        return;
      }
      try {
        Class<?> type = Class.forName(className, false, loader);
        if (Modifier.isPublic(type.getModifiers())) {
          names.putIfAbsent(className.substring(dot + 1), className);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        // A class whose dependencies are not on this module's classpath: nobody here can import it either.
      }
    }
  }

  @Override
  public String toString() {
    return "HouseRules[" + rootPackage.toLowerCase(Locale.ROOT) + "]";
  }
}
