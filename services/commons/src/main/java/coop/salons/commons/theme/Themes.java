package coop.salons.commons.theme;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import coop.salons.common.api.ProblemException;
import coop.salons.commons.CommonsConfig;
import coop.salons.commons.theme.ThemeDtos.CreateTheme;
import coop.salons.commons.theme.ThemeDtos.UpdateTheme;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hoster's themes: seeded at the first start from a file, then edited through the API. A new
 * theme fires {@link ThemeCreated}, on which its room on the commons server is asked for.
 */
@ApplicationScoped
public class Themes {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject CommonsConfig config;
  @Inject EntityManager em;
  @Inject Validator validator;
  @Inject Event<ThemeCreated> created;

  /** A theme was created, in the transaction that created it. */
  public record ThemeCreated(Theme theme) {}

  void seed(@Observes StartupEvent start) {
    QuarkusTransaction.requiringNew().run(this::seedIfEmpty);
  }

  /** Creates the first list of themes when there is none (one replica at a time). */
  void seedIfEmpty() {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('commons-themes'))")
        .getSingleResult();
    if (Theme.count() > 0) {
      return;
    }
    List<CreateTheme> first = read();
    for (CreateTheme t : first) {
      Set<ConstraintViolation<CreateTheme>> wrong = validator.validate(t);
      if (!wrong.isEmpty()) {
        throw new IllegalStateException(
            "The themes file has a bad theme '" + t.slug() + "': " + wrong.iterator().next());
      }
      create(t);
    }
    Log.infof("The commons start with %d themes", first.size());
  }

  private List<CreateTheme> read() {
    TypeReference<List<CreateTheme>> type = new TypeReference<>() {};
    try {
      Optional<String> file = config.themesFile();
      if (file.isPresent()) {
        return JSON.readValue(Files.readString(Path.of(file.get())), type);
      }
      try (InputStream in =
          Thread.currentThread()
              .getContextClassLoader()
              .getResourceAsStream("commons/themes.json")) {
        return JSON.readValue(in, type);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the themes: " + e.getMessage(), e);
    }
  }

  public List<Theme> list() {
    return Theme.listAll(Sort.by("position").and("slug"));
  }

  public Theme require(String slug) {
    Theme t = Theme.findById(slug);
    if (t == null) {
      throw ProblemException.notFound("No theme '" + slug + "'.");
    }
    return t;
  }

  @Transactional
  public Theme create(CreateTheme input) {
    if (Theme.findById(input.slug()) != null) {
      throw ProblemException.conflict("There is a theme '" + input.slug() + "' already.");
    }
    OffsetDateTime now = OffsetDateTime.now();
    Theme t = new Theme();
    t.slug = input.slug();
    t.nameFr = input.nameFr().strip();
    t.nameEn = input.nameEn().strip();
    t.descriptionFr = strip(input.descriptionFr());
    t.descriptionEn = strip(input.descriptionEn());
    Number last = (Number) em.createQuery("select max(position) from Theme").getSingleResult();
    t.position = last == null ? 1 : last.intValue() + 1;
    t.createdAt = now;
    t.updatedAt = now;
    t.persist();
    created.fire(new ThemeCreated(t));
    return t;
  }

  @Transactional
  public Theme update(String slug, UpdateTheme input, Long ifMatch) {
    Theme t = require(slug);
    if (ifMatch != null && ifMatch != t.version) {
      throw ProblemException.preconditionFailed(
          "The theme changed since you read it; read it again.");
    }
    if (input.nameFr() != null) {
      t.nameFr = input.nameFr().strip();
    }
    if (input.nameEn() != null) {
      t.nameEn = input.nameEn().strip();
    }
    if (input.descriptionFr() != null) {
      t.descriptionFr = strip(input.descriptionFr());
    }
    if (input.descriptionEn() != null) {
      t.descriptionEn = strip(input.descriptionEn());
    }
    t.updatedAt = OffsetDateTime.now();
    em.flush();
    return t;
  }

  /** The themes an organisation works on, in the hoster's order. */
  @Transactional
  public List<Theme> ofOrganization(String org) {
    return Theme.list(
        "slug in (select t.themeSlug from OrganizationTheme t where t.organizationSlug = ?1)"
            + " order by position, slug",
        org);
  }

  /** Replaces the themes an organisation works on; every one must exist. */
  @Transactional
  public List<Theme> setForOrganization(String org, List<String> slugs) {
    List<String> unknown = new ArrayList<>();
    for (String s : slugs) {
      if (s == null || Theme.findById(s) == null) {
        unknown.add(String.valueOf(s));
      }
    }
    if (!unknown.isEmpty()) {
      throw ProblemException.invalid("themes", "are not themes of this platform: " + unknown);
    }
    // Themes kept keep the date they were chosen: only new ones are news in the digest.
    List<String> wanted = slugs.stream().distinct().toList();
    if (wanted.isEmpty()) {
      OrganizationTheme.delete("organizationSlug", org);
    } else {
      OrganizationTheme.delete("organizationSlug = ?1 and themeSlug not in ?2", org, wanted);
    }
    List<String> kept =
        OrganizationTheme.<OrganizationTheme>list("organizationSlug", org).stream()
            .map(t -> t.themeSlug)
            .toList();
    for (String s : wanted) {
      if (kept.contains(s)) {
        continue;
      }
      OrganizationTheme t = new OrganizationTheme();
      t.organizationSlug = org;
      t.themeSlug = s;
      t.chosenAt = java.time.OffsetDateTime.now();
      t.persist();
    }
    em.flush();
    return ofOrganization(org);
  }

  private static String strip(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
