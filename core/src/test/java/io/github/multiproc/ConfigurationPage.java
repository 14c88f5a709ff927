package io.github.multiproc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The key table of {@code docs/configuration.md}, read so that each module's test can check it
 * against the keys its code declares: every key must have a row whose environment variable, type
 * and default match, and every row in the module's namespace must name a key that exists.
 *
 * {@snippet :
 * ConfigurationPage page = ConfigurationPage.read();
 * page.assertDocuments(ProcessPoolProperties.KEYS);
 * page.assertDocumentsOnly(k -> k.startsWith("multiproc.process."), ProcessPoolProperties.KEYS);
 * }
 */
public final class ConfigurationPage {

  /** The page, from a module's directory (where tests run). */
  public static final Path PAGE = Path.of("..", "docs", "configuration.md");

  /** One row: key, environment variable, type, default (backticks removed). */
  public record Row(String key, String variable, String type, String defaultValue) {}

  private final Map<String, Row> rows;

  private ConfigurationPage(Map<String, Row> rows) {
    this.rows = rows;
  }

  /**
   * Reads the table.
   *
   * @return the page
   * @throws IOException if it cannot be read
   */
  public static ConfigurationPage read() throws IOException {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(PAGE)) {
      if (!line.startsWith("| `multiproc.")) {
        continue;
      }
      String[] cells = line.split("\\|");
      Row row = new Row(plain(cells[1]), plain(cells[2]), plain(cells[3]), plain(cells[4]));
      assertThat(rows.put(row.key(), row)).as("a second row for " + row.key()).isNull();
    }
    return new ConfigurationPage(rows);
  }

  /** {@return every row, by key} */
  public Map<String, Row> rows() {
    return rows;
  }

  /**
   * Checks that every key has its row, with the same variable, type and default.
   *
   * @param keys the keys a module declares
   */
  public void assertDocuments(Collection<ConfigKey> keys) {
    for (ConfigKey key : keys) {
      assertThat(rows).as("docs/configuration.md must list " + key.name()).containsKey(key.name());
      assertThat(rows.get(key.name())).as("the row of " + key.name() + " in docs/configuration.md")
          .isEqualTo(new Row(key.name(), key.environmentVariable(), key.type(), key.defaultValue()));
      for (String old : key.deprecatedNames()) {
        assertThat(line(key.name())).as("the row of " + key.name() + " names its old name " + old).contains(old);
      }
    }
  }

  /**
   * Checks that every row in a namespace names one of the given keys.
   *
   * @param namespace which rows belong to the module, by key
   * @param keys the module's keys
   */
  public void assertDocumentsOnly(Predicate<String> namespace, Collection<ConfigKey> keys) {
    List<String> names = keys.stream().map(ConfigKey::name).toList();
    assertThat(rows.keySet().stream().filter(namespace)).as("rows of docs/configuration.md with no key in code")
        .allMatch(names::contains);
  }

  private String line(String key) {
    try {
      return Files.readAllLines(PAGE).stream().filter(l -> l.startsWith("| `" + key + "`")).findFirst().orElse("");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String plain(String cell) {
    return cell.strip().replace("`", "");
  }
}
