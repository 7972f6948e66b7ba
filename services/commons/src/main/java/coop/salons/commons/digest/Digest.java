package coop.salons.commons.digest;

import coop.salons.common.api.ProblemException;
import coop.salons.commons.theme.Theme;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weekly digest of the commons, opt-in per person: the rooms listed in the last 7 days on the
 * themes of the person's associations, and the associations that came to those themes (chose one,
 * or listed their first room there), by email. Newcomers are welcomed without anyone having to
 * remember to.
 */
@ApplicationScoped
public class Digest {

  @Inject EntityManager em;
  @Inject Mailer mailer;

  /** Whether the person asked for it, and in which language. */
  public record Subscription(boolean subscribed, String language, String email) {}

  /** What one person's digest says. */
  public record Content(List<String[]> rooms, List<String[]> newcomers) {
    boolean empty() {
      return rooms.isEmpty() && newcomers.isEmpty();
    }
  }

  public Subscription get(String userId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object[]> rows =
                  em.createNativeQuery(
                          "SELECT language, email FROM digest_subscription WHERE user_id = ?1")
                      .setParameter(1, userId)
                      .getResultList();
              return rows.isEmpty()
                  ? new Subscription(false, null, null)
                  : new Subscription(true, (String) rows.get(0)[0], (String) rows.get(0)[1]);
            });
  }

  /** Subscribes (to the verified address of the person's account) or unsubscribes. */
  public Subscription set(String userId, String email, boolean subscribed, String language) {
    if (subscribed && (email == null || email.isBlank())) {
      throw ProblemException.invalid("subscribed", "your account has no verified email address");
    }
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (subscribed) {
                em.createNativeQuery(
                        "INSERT INTO digest_subscription (user_id, email, language, subscribed_at)"
                            + " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id) DO UPDATE"
                            + " SET email = excluded.email, language = excluded.language")
                    .setParameter(1, userId)
                    .setParameter(2, email)
                    .setParameter(3, language)
                    .setParameter(4, OffsetDateTime.now())
                    .executeUpdate();
              } else {
                em.createNativeQuery("DELETE FROM digest_subscription WHERE user_id = ?1")
                    .setParameter(1, userId)
                    .executeUpdate();
              }
            });
    return get(userId);
  }

  @Scheduled(
      cron = "${salons.commons.digest.cron:0 0 8 ? * MON}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void weekly() {
    int sent = sendAll();
    Log.infof("Weekly digest: %d sent", sent);
  }

  /** Sends every subscriber's digest (none to a person with nothing new); answers how many. */
  public int sendAll() {
    @SuppressWarnings("unchecked")
    List<Object[]> subscribers =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    em.createNativeQuery(
                            "SELECT user_id, email, language FROM digest_subscription"
                                + " ORDER BY user_id")
                        .getResultList());
    int sent = 0;
    for (Object[] s : subscribers) {
      String userId = (String) s[0];
      String language = (String) s[2];
      Content c = QuarkusTransaction.requiringNew().call(() -> content(userId, language));
      if (c.empty()) {
        continue;
      }
      try {
        mailer.send(Mail.withText((String) s[1], subject(language), text(c, language)));
        QuarkusTransaction.requiringNew()
            .run(
                () ->
                    em.createNativeQuery(
                            "UPDATE digest_subscription SET last_sent_at = ?1 WHERE user_id = ?2")
                        .setParameter(1, OffsetDateTime.now())
                        .setParameter(2, userId)
                        .executeUpdate());
        sent++;
      } catch (RuntimeException e) {
        Log.warnf("The digest of %s could not be sent: %s", userId, e.getMessage());
      }
    }
    return sent;
  }

  /** The news of the last 7 days on the themes of the person's associations. */
  Content content(String userId, String language) {
    OffsetDateTime since = OffsetDateTime.now().minusDays(7);
    Map<String, String> names = new LinkedHashMap<>();
    for (Theme t : Theme.<Theme>listAll()) {
      names.put(t.slug, "fr".equals(language) ? t.nameFr : t.nameEn);
    }
    String mine = "SELECT organization_slug FROM organization_member WHERE user_id = :user";
    String myThemes =
        "SELECT theme_slug FROM organization_theme WHERE organization_slug IN ("
            + mine
            + ")"
            + " UNION SELECT unnest(themes) FROM listing WHERE organization_slug IN ("
            + mine
            + ") AND state = 'listed'";
    @SuppressWarnings("unchecked")
    List<Object[]> rooms =
        em.createNativeQuery(
                "SELECT name, coalesce(organization_slug, ''), alias, room_id, themes[1]"
                    + " FROM listing WHERE state = 'listed' AND published_at >= :since"
                    + " AND (organization_slug IS NULL OR organization_slug NOT IN ("
                    + mine
                    + "))"
                    + " AND themes && ARRAY("
                    + myThemes
                    + ")::varchar[]"
                    + " ORDER BY published_at DESC LIMIT 30")
            .setParameter("user", userId)
            .setParameter("since", since)
            .getResultList();
    @SuppressWarnings("unchecked")
    List<Object[]> newcomers =
        em.createNativeQuery(
                "SELECT organization_slug, min(theme) FROM ("
                    + " SELECT organization_slug, theme_slug AS theme FROM organization_theme"
                    + " WHERE chosen_at >= :since"
                    + " UNION ALL SELECT organization_slug, unnest(themes) FROM listing"
                    + " WHERE state = 'listed' AND organization_slug IN (SELECT organization_slug"
                    + " FROM listing WHERE organization_slug IS NOT NULL"
                    + " GROUP BY organization_slug HAVING min(published_at) >= :since)"
                    + ") n WHERE theme IN ("
                    + myThemes
                    + ")"
                    + " AND organization_slug NOT IN ("
                    + mine
                    + ")"
                    + " GROUP BY organization_slug ORDER BY organization_slug LIMIT 30")
            .setParameter("user", userId)
            .setParameter("since", since)
            .getResultList();
    List<String[]> roomLines = new ArrayList<>();
    for (Object[] r : rooms) {
      roomLines.add(
          new String[] {
            (String) r[0],
            (String) r[1],
            r[2] != null ? (String) r[2] : (String) r[3],
            names.getOrDefault((String) r[4], (String) r[4])
          });
    }
    List<String[]> newcomerLines = new ArrayList<>();
    for (Object[] n : newcomers) {
      newcomerLines.add(
          new String[] {(String) n[0], names.getOrDefault((String) n[1], (String) n[1])});
    }
    return new Content(roomLines, newcomerLines);
  }

  static String subject(String language) {
    return "fr".equals(language)
        ? "Salons — cette semaine dans les communs"
        : "Salons — this week in the commons";
  }

  /** Plain text: nothing in it is interpreted by a mail reader. */
  static String text(Content c, String language) {
    boolean fr = "fr".equals(language);
    StringBuilder out = new StringBuilder();
    if (!c.rooms().isEmpty()) {
      out.append(fr ? "Nouveaux salons sur vos thèmes :\n" : "New rooms on your themes:\n");
      for (String[] r : c.rooms()) {
        out.append("- ")
            .append(r[0])
            .append(r[1].isEmpty() ? "" : " (" + r[1] + ")")
            .append(" — ")
            .append(r[3])
            .append(" — ")
            .append(r[2])
            .append('\n');
      }
      out.append('\n');
    }
    if (!c.newcomers().isEmpty()) {
      out.append(
          fr ? "Associations nouvelles sur vos thèmes :\n" : "Associations new on your themes:\n");
      for (String[] n : c.newcomers()) {
        out.append("- ").append(n[0]).append(" — ").append(n[1]).append('\n');
      }
      out.append('\n');
    }
    out.append(
        fr
            ? "Vous recevez ce message parce que vous l'avez demandé sur la page des communs ;"
                + " vous pouvez l'arrêter au même endroit.\n"
            : "You receive this because you asked for it on the commons page; you can stop it"
                + " there.\n");
    return out.toString();
  }
}
