package coop.salons.portal.commons;

import coop.salons.portal.PortalConfig;
import coop.salons.portal.i18n.Locales;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The commons, for everyone: the themes and their rooms on the commons server, with member counts
 * and the ways in. Signed-in members of an association open rooms here; the hoster archives them
 * ({@link CommonsForms}). {@code /communs} is the same page in French.
 */
@Path("/{page: commons|communs}")
public class CommonsPage {

  private static final Logger LOG = Logger.getLogger(CommonsPage.class);

  /** A theme with its rooms, in the page's language. */
  public record ThemeRooms(
      String slug, String name, String description, int members, List<CommonsClient.Room> rooms) {}

  /** The form as it was sent, to show it again with its refusal. */
  public record OpenForm(String theme, String alias, String name, String topic) {
    static final OpenForm EMPTY = new OpenForm("", "", "", "");
  }

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance commons(
        String lang,
        String hoster,
        String self,
        CommonsClient.Server server,
        List<ThemeRooms> themes,
        List<CommonsClient.Theme> choices,
        boolean unavailable,
        boolean signedIn,
        CommonsClient.Abilities abilities,
        String opened,
        String archived,
        List<String> errors,
        OpenForm form,
        Search search,
        List<CommonsClient.Report> reports,
        String moderated,
        Figures figures,
        CommonsClient.Digest digest);
  }

  /**
   * The commons in figures as charts (with the same figures as a table): rooms and members per
   * theme, rooms listed week by week.
   */
  public record Figures(
      List<coop.salons.portal.billing.Charts.Bar> roomsPerTheme,
      List<coop.salons.portal.billing.Charts.Bar> weeks,
      List<Row> rows) {
    static final Figures NONE = new Figures(List.of(), List.of(), List.of());

    /** One theme's figures, named in the page's language. */
    public record Row(String theme, int rooms, int organizations, long members) {}
  }

  private Figures figures(List<CommonsClient.Theme> themes, String language) {
    try {
      CommonsClient.Stats stats = commons.stats();
      java.util.Map<String, String> names = new java.util.HashMap<>();
      themes.forEach(t -> names.put(t.slug(), t.name(language)));
      List<Figures.Row> rows =
          stats.themes().stream()
              .map(
                  t ->
                      new Figures.Row(
                          names.getOrDefault(t.theme(), t.theme()),
                          t.rooms(),
                          t.organizations(),
                          t.members()))
              .toList();
      String roomsUnit = "fr".equals(language) ? "salons" : "rooms";
      return new Figures(
          coop.salons.portal.billing.Charts.bars(
              rows.stream().map(Figures.Row::theme).toList(),
              rows.stream().map(r -> java.math.BigDecimal.valueOf(r.rooms())).toList(),
              roomsUnit,
              "c1"),
          coop.salons.portal.billing.Charts.bars(
              stats.weeks().stream().map(CommonsClient.WeekFigures::week).toList(),
              stats.weeks().stream().map(w -> java.math.BigDecimal.valueOf(w.rooms())).toList(),
              roomsUnit,
              "c2"),
          rows);
    } catch (RuntimeException e) {
      LOG.debugf("No figures of the commons: %s", e.toString());
      return Figures.NONE;
    }
  }

  /**
   * The directory's search as the page shows it: what was asked, what was found, where the next
   * page is, and the rooms new this week (when nothing was asked).
   */
  public record Search(
      String q,
      String theme,
      String language,
      String cursor,
      boolean asked,
      List<CommonsClient.Listing> found,
      String next,
      List<CommonsClient.Listing> newest,
      String error) {
    static final Search NONE =
        new Search("", "", "", null, false, List.of(), null, List.of(), null);

    /** The rooms the page lists: those found, or the newest when nothing was asked. */
    public List<CommonsClient.Listing> shown() {
      return asked ? found : newest;
    }

    /** The link to the next page of results. */
    public String nextHref(String self) {
      return self
          + "?q="
          + enc(q)
          + "&theme="
          + enc(theme)
          + "&language="
          + enc(language)
          + "&cursor="
          + enc(next)
          + "#directory-results";
    }

    private static String enc(String s) {
      return java.net.URLEncoder.encode(
          s == null ? "" : s, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Inject PortalConfig config;
  @Inject SecurityIdentity identity;
  @Inject @RestClient CommonsClient commons;

  @GET
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response show(
      @PathParam("page") String name,
      @QueryParam("lang") String lang,
      @QueryParam("opened") String opened,
      @QueryParam("archived") String archived,
      @QueryParam("q") String q,
      @QueryParam("theme") String theme,
      @QueryParam("language") String searchLanguage,
      @QueryParam("cursor") String cursor,
      @QueryParam("reported") boolean reported,
      @QueryParam("hidden") boolean hidden,
      @QueryParam("digest") boolean digestSaved,
      @Context HttpHeaders headers) {
    boolean french = name.equals("communs");
    Search asked =
        new Search(
            q == null ? "" : q,
            theme == null ? "" : theme,
            searchLanguage == null ? "" : searchLanguage,
            cursor,
            false,
            List.of(),
            null,
            List.of(),
            null);
    String moderated = reported ? "reported" : hidden ? "hidden" : digestSaved ? "digest" : null;
    return page(
        lang, french ? "fr" : null, "/" + name, opened, archived, asked, moderated, headers);
  }

  private Response page(
      String lang,
      String pageLanguage,
      String self,
      String opened,
      String archived,
      Search asked,
      String moderated,
      HttpHeaders headers) {
    String language =
        Locales.supported(lang).or(() -> Optional.ofNullable(pageLanguage)).orElse(null);
    TemplateInstance page =
        render(
            Locales.resolve(language, Optional.empty(), headers),
            self,
            opened,
            archived,
            List.of(),
            OpenForm.EMPTY,
            asked,
            moderated);
    Response.ResponseBuilder answer = Response.ok(page);
    Locales.supported(lang).ifPresent(l -> answer.cookie(Locales.remember(l)));
    return answer.build();
  }

  /** Asks the directory what the page's search form asked (or its newest rooms). */
  private Search search(Search asked) {
    String q = blankToNull(asked.q());
    String theme = blankToNull(asked.theme());
    String language = blankToNull(asked.language());
    boolean any = q != null || theme != null || language != null;
    try {
      if (!any) {
        List<CommonsClient.Listing> newest =
            commons.search(null, null, null, "new", 6, null).items();
        return new Search("", "", "", null, false, List.of(), null, newest, null);
      }
      CommonsClient.Page<CommonsClient.Listing> page =
          commons.search(q, theme, language, null, 20, blankToNull(asked.cursor()));
      return new Search(
          asked.q(),
          asked.theme(),
          asked.language(),
          asked.cursor(),
          true,
          page.items(),
          page.nextCursor(),
          List.of(),
          null);
    } catch (WebApplicationException refused) {
      String detail = refused.getResponse().readEntity(String.class);
      LOG.debugf("Directory search refused: %s", detail);
      return new Search(
          asked.q(),
          asked.theme(),
          asked.language(),
          null,
          true,
          List.of(),
          null,
          List.of(),
          "refused");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  TemplateInstance render(
      String language,
      String self,
      String opened,
      String archived,
      List<String> errors,
      OpenForm form,
      Search asked) {
    return render(language, self, opened, archived, errors, form, asked, null);
  }

  TemplateInstance render(
      String language,
      String self,
      String opened,
      String archived,
      List<String> errors,
      OpenForm form,
      Search asked,
      String moderated) {
    boolean signedIn = !identity.isAnonymous();
    CommonsClient.Server server = null;
    List<CommonsClient.Theme> choices = List.of();
    List<ThemeRooms> themes = new ArrayList<>();
    CommonsClient.Abilities abilities = null;
    List<CommonsClient.Report> reports = List.of();
    CommonsClient.Digest digest = null;
    boolean unavailable = false;
    try {
      choices = commons.themes().items();
      List<CommonsClient.Room> rooms = commons.rooms(100, null).items();
      for (CommonsClient.Theme t : choices) {
        List<CommonsClient.Room> mine =
            rooms.stream().filter(r -> r.theme().equals(t.slug())).toList();
        themes.add(
            new ThemeRooms(
                t.slug(),
                t.name(language),
                t.description(language),
                mine.stream().mapToInt(CommonsClient.Room::members).sum(),
                mine));
      }
      try {
        server = commons.server();
      } catch (WebApplicationException noServerYet) {
        // the page lists the themes; the ways in come once the server runs
      }
      if (signedIn) {
        abilities = commons.abilities();
        digest = commons.digest();
        if (abilities.hoster()) {
          reports = commons.reports();
        }
      }
    } catch (RuntimeException e) {
      LOG.warnf("The commons service did not answer: %s", e.toString());
      unavailable = true;
    }
    return Templates.commons(
            language,
            config.hosterName(),
            self,
            server,
            themes,
            choices,
            unavailable,
            signedIn,
            abilities,
            opened,
            archived,
            errors,
            form,
            unavailable ? Search.NONE : search(asked),
            reports,
            moderated,
            unavailable ? Figures.NONE : figures(choices, language),
            digest)
        .setLocale(Locale.forLanguageTag(language));
  }
}
