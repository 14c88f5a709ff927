package io.github.multiproc.release;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * A POM as deployed, read with the JDK's XML parser, to check what Maven Central requires of it:
 * {@code name}, {@code description}, {@code url}, {@code licenses}, {@code developers},
 * {@code scm}, plus {@code issueManagement}, each either in the POM or inherited from its parent.
 *
 * @param file the deployed POM
 * @param project its root element
 */
record PublishedPom(Path file, Element project) {

  /** The elements every published POM must have, by path below {@code project}. */
  static final List<String> REQUIRED = List.of("name", "description", "url", "licenses/license/name",
      "licenses/license/url", "developers/developer/name", "scm/connection", "scm/developerConnection", "scm/url",
      "issueManagement/system", "issueManagement/url");

  /**
   * Reads a POM.
   *
   * @param file the POM
   * @return it
   * @throws IOException if it cannot be read or parsed
   */
  static PublishedPom read(Path file) throws IOException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document d = f.newDocumentBuilder().parse(file.toFile());
      return new PublishedPom(file, d.getDocumentElement());
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("not a POM: " + file, e);
    }
  }

  /**
   * Returns the text of an element.
   *
   * @param path element names below {@code project}, separated by {@code /}
   * @return its trimmed text, or empty if it is missing or blank
   */
  Optional<String> text(String path) {
    Element e = project;
    for (String name : path.split("/")) {
      e = child(e, name);
      if (e == null) {
        return Optional.empty();
      }
    }
    String t = e.getTextContent().strip();
    return t.isEmpty() ? Optional.empty() : Optional.of(t);
  }

  /**
   * Returns an attribute of {@code project}.
   *
   * @param name the attribute
   * @return its value, or "" if it is missing
   */
  String projectAttribute(String name) {
    return project.getAttribute(name);
  }

  /**
   * Returns an attribute of {@code scm}.
   *
   * @param name the attribute
   * @return its value, or "" if it or the scm is missing
   */
  String scmAttribute(String name) {
    Element scm = child(project, "scm");
    return scm == null ? "" : scm.getAttribute(name);
  }

  /** {@return the artifact ids under {@code dependencyManagement}} */
  List<String> managedArtifactIds() {
    List<String> ids = new ArrayList<>();
    Element dm = child(project, "dependencyManagement");
    Element deps = dm == null ? null : child(dm, "dependencies");
    if (deps != null) {
      for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element d && d.getTagName().equals("dependency")) {
          Element a = child(d, "artifactId");
          if (a != null) {
            ids.add(a.getTextContent().strip());
          }
        }
      }
    }
    return ids;
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }
}
