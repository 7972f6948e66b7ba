package coop.salons.provisioning.accounts;

import coop.salons.provisioning.identity.MemberDirectory;
import coop.salons.provisioning.instance.Instance;
import coop.salons.provisioning.model.Flavour;
import coop.salons.provisioning.model.InstanceSecrets;
import coop.salons.provisioning.model.InstanceSpec;
import coop.salons.provisioning.model.LoginMode;
import coop.salons.provisioning.model.MattermostRenderer;
import coop.salons.provisioning.model.Placement;
import coop.salons.provisioning.runtime.ChatRuntime;
import coop.salons.provisioning.supervisor.Reconciler;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The {@code accounts} login mode: free Mattermost editions have no single sign-on since v11, so
 * the platform keeps each member's Mattermost account itself, following the organisation's
 * membership in identity — an account is made (or reactivated) when someone joins, with a link to
 * choose a password sent by Mattermost; its email, username and team role follow identity; it is
 * deactivated (Mattermost never deletes users) when they leave.
 *
 * <p>Every 30 s ({@code salons.provisioning.accounts-every}) for each running instance in that
 * mode: sign in as the platform's own account (made as the server's first account, password in the
 * instance's secrets), ensure the organisation's invite-only team, then compare identity's member
 * directory with what the platform last wrote ({@code mattermost_account}) and call Mattermost only
 * for the differences. A sync cut short is finished by the next: an account made but not recorded
 * is found by its email and adopted.
 */
@ApplicationScoped
public class MattermostAccounts {

  /** The platform's own account on each Mattermost instance. */
  static final String ADMIN = MattermostRenderer.ADMIN;

  private static final Set<String> RESERVED =
      Set.of("all", "channel", "here", "matterbot", "system", "valid", "sysadmin", ADMIN);

  @Inject EntityManager em;
  @Inject ChatRuntime runtime;
  @Inject Reconciler reconciler;
  @Inject @RestClient MemberDirectory directory;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What one sync did. */
  public record Outcome(int created, int updated, int deactivated) {
    public boolean changed() {
      return created + updated + deactivated > 0;
    }
  }

  /** One account as the platform last wrote it. */
  record Account(String userId, String mattermostId, String username, String email, String role) {}

  @Scheduled(
      every = "${salons.provisioning.accounts-every:30s}",
      delayed = "15s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void tick() {
    for (UUID id : candidates()) {
      try {
        sync(id);
      } catch (RuntimeException e) {
        Log.warnf("Mattermost accounts of instance %s: %s", id, e.getMessage());
      }
    }
  }

  /** Running Mattermost instances (the login mode is the plan's, checked per instance). */
  List<UUID> candidates() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                em.createQuery(
                        "select i.id from Instance i where i.flavour = :f and i.state = 'READY'"
                            + " and i.desired = 'running' order by i.id",
                        UUID.class)
                    .setParameter("f", Flavour.MATTERMOST.id())
                    .getResultList());
  }

  /** Brings one instance's accounts in step; answers what it did (nothing if not in that mode). */
  public Outcome sync(UUID instanceId) {
    record Target(InstanceSpec spec, Integer localPort) {}
    Target t =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Instance i = Instance.findById(instanceId);
                  return i == null ? null : new Target(reconciler.spec(i), i.localPort);
                });
    if (t == null || t.spec().login() != LoginMode.ACCOUNTS || t.spec().suspended()) {
      return new Outcome(0, 0, 0);
    }
    Placement placement = runtime.placement(t.spec(), t.localPort());
    // Only read: the supervisor generates and keeps the instance's secrets, never this sync.
    String password =
        runtime.secrets(t.spec(), Map.of()).values().get(InstanceSecrets.MATTERMOST_ADMIN_PASSWORD);
    if (password == null) {
      throw new IllegalStateException(
          "The instance has no password for the platform's Mattermost account yet; the supervisor"
              + " keeps it with the instance's other secrets.");
    }
    return sync(
        instanceId, t.spec().organization(), t.spec().displayName(), placement.baseUrl(), password);
  }

  /**
   * The sync against the Mattermost server at {@code baseUrl}, its result kept for the instance's
   * {@code AccountsSynced} condition (so that the association sees why its members have no account,
   * not only the hoster's log).
   */
  Outcome sync(
      UUID instanceId, String organization, String teamName, String baseUrl, String password) {
    Outcome o;
    try {
      o = keep(instanceId, organization, teamName, baseUrl, password);
    } catch (RuntimeException e) {
      status(instanceId, false, e.getMessage() == null ? e.toString() : e.getMessage());
      throw e;
    }
    int kept = accounts(instanceId).size();
    status(
        instanceId,
        true,
        kept == 1
            ? "1 member has a Mattermost account."
            : kept + " members have a Mattermost account.");
    return o;
  }

  /**
   * Records what a sync found, writing only when it differs from what is recorded; the time moves
   * only when the sync goes from working to failing or back.
   */
  private void status(UUID instanceId, boolean synced, String message) {
    String m = message.length() <= 1000 ? message : message.substring(0, 1000);
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "INSERT INTO mattermost_sync (instance_id, synced, message, changed_at)"
                            + " VALUES (?1, ?2, ?3, now()) ON CONFLICT (instance_id) DO UPDATE"
                            + " SET synced = EXCLUDED.synced, message = EXCLUDED.message,"
                            + " changed_at = CASE WHEN mattermost_sync.synced = EXCLUDED.synced"
                            + " THEN mattermost_sync.changed_at ELSE now() END"
                            + " WHERE mattermost_sync.synced <> EXCLUDED.synced"
                            + " OR mattermost_sync.message <> EXCLUDED.message")
                    .setParameter(1, instanceId)
                    .setParameter(2, synced)
                    .setParameter(3, m)
                    .executeUpdate());
  }

  /** Keeps the accounts in step with the member directory. */
  private Outcome keep(
      UUID instanceId, String organization, String teamName, String baseUrl, String password) {
    MattermostApi api = new MattermostApi(http, baseUrl);
    signIn(api, baseUrl, password);
    String team =
        api.teamByName(organization).orElseGet(() -> api.createTeam(organization, teamName));

    Map<String, MemberDirectory.Member> wanted = new HashMap<>();
    for (MemberDirectory.Member m : directory.members(organization)) {
      if (m.email() != null && !m.email().isBlank()) {
        wanted.put(m.userId(), m);
      }
    }
    Map<String, Account> known = new HashMap<>();
    for (Account a : accounts(instanceId)) {
      known.put(a.userId(), a);
    }

    int created = 0;
    int updated = 0;
    int deactivated = 0;
    for (MemberDirectory.Member m : wanted.values()) {
      Account a = known.get(m.userId());
      if (a == null) {
        record(instanceId, m, create(api, team, m));
        created++;
      } else if (update(api, team, instanceId, a, m)) {
        updated++;
      }
    }
    for (Account a : known.values()) {
      if (!wanted.containsKey(a.userId())) {
        api.removeFromTeam(team, a.mattermostId());
        try {
          api.setActive(a.mattermostId(), false);
        } catch (MattermostApi.Refused e) {
          if (e.status != 404) {
            throw e;
          }
          // Deleted on the server by its administrator: nothing left to deactivate.
        }
        forget(instanceId, a.userId());
        deactivated++;
      }
    }
    Outcome o = new Outcome(created, updated, deactivated);
    if (o.changed()) {
      Log.infof(
          "Instance %s: Mattermost accounts %d made, %d updated, %d deactivated",
          instanceId, created, updated, deactivated);
    }
    return o;
  }

  private static void signIn(MattermostApi api, String baseUrl, String password) {
    if (api.login(ADMIN, password)) {
      return;
    }
    // A new server that still lets the first account sign up makes it system administrator. A
    // server with sign-up off (as rendered for this mode) has the account made at its start,
    // through its local mode (MattermostRenderer.BOOTSTRAP), or by the operator with mmctl --local.
    try {
      api.createUser(MattermostRenderer.adminEmail(URI.create(baseUrl).getHost()), ADMIN, password);
    } catch (MattermostApi.Refused e) {
      if (e.errorId.contains("signup_email_disabled")) {
        throw new IllegalStateException(
            "The platform's account "
                + ADMIN
                + " does not sign in on this Mattermost (not made yet by the server's start-up"
                + " command, or its password changed) and the server's sign-up is off: make it,"
                + " or set its password, with mmctl --local (user create --system-admin; the"
                + " password is the instance secret mattermost-admin-password)");
      }
      // The server has accounts already, and ours no longer signs in.
      throw refused(e.getMessage());
    }
    if (!api.login(ADMIN, password)) {
      throw refused("sign-in after creation");
    }
  }

  private static IllegalStateException refused(String why) {
    return new IllegalStateException(
        "Mattermost refused the platform's account "
            + ADMIN
            + " (was its password changed on the server?): "
            + why);
  }

  private record Made(String mattermostId, String username) {}

  private Made create(MattermostApi api, String team, MemberDirectory.Member m) {
    MattermostApi.User user = api.userByEmail(m.email()).orElse(null);
    if (user == null) {
      for (int attempt = 0; user == null; attempt++) {
        String name = username(m.username(), attempt);
        try {
          user = api.createUser(m.email(), name, InstanceSecrets.token(32) + "aA1!");
        } catch (MattermostApi.Refused e) {
          if (!e.errorId.contains("username_exists") || attempt >= 8) {
            throw e;
          }
        }
      }
      api.sendPasswordReset(m.email());
    } else if (user.deleteAt() > 0) {
      // Someone who left and came back: the same account, reactivated.
      api.setActive(user.id(), true);
      api.sendPasswordReset(m.email());
    }
    api.addToTeam(team, user.id());
    api.setTeamAdmin(team, user.id(), isAdmin(m.role()));
    return new Made(user.id(), user.username());
  }

  /** Brings an account to what identity says; answers whether anything changed. */
  private boolean update(
      MattermostApi api, String team, UUID instanceId, Account a, MemberDirectory.Member m) {
    boolean emailChanged = !a.email().equalsIgnoreCase(m.email());
    boolean nameChanged = !sameName(a.username(), m.username());
    boolean roleChanged = !a.role().equals(m.role());
    if (!emailChanged && !nameChanged && !roleChanged) {
      return false;
    }
    String name = a.username();
    if (emailChanged || nameChanged) {
      for (int attempt = 0; ; attempt++) {
        String candidate = nameChanged ? username(m.username(), attempt) : a.username();
        try {
          api.patchUser(a.mattermostId(), m.email(), candidate);
          name = candidate;
          break;
        } catch (MattermostApi.Refused e) {
          if (!nameChanged || !e.errorId.contains("username_exists") || attempt >= 8) {
            throw e;
          }
        }
      }
    }
    if (roleChanged) {
      api.setTeamAdmin(team, a.mattermostId(), isAdmin(m.role()));
    }
    record(instanceId, m, a.mattermostId(), name);
    return true;
  }

  /** Whether a Mattermost username is one {@link #username} gives for this member. */
  static boolean sameName(String mattermostUsername, String keycloakUsername) {
    return mattermostUsername.equals(username(keycloakUsername, 0))
        || mattermostUsername.matches(
            java.util.regex.Pattern.quote(stem(keycloakUsername)) + "-[0-9]+");
  }

  static boolean isAdmin(String role) {
    return "owner".equals(role) || "admin".equals(role);
  }

  /** The part of a username every attempt shares. */
  static String stem(String keycloakUsername) {
    String s = keycloakUsername.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
      s = "u" + s;
    }
    if (RESERVED.contains(s)) {
      s = "u-" + s;
    }
    return s.length() > 19 ? s.substring(0, 19) : s;
  }

  /**
   * A Mattermost username for a member: 3 to 22 of lower-case letters, digits, {@code . _ -},
   * starting with a letter; later attempts add {@code -2}, {@code -3}… when the name is taken.
   */
  static String username(String keycloakUsername, int attempt) {
    String s = stem(keycloakUsername);
    if (attempt > 0) {
      s = s + "-" + (attempt + 1);
    }
    while (s.length() < 3) {
      s = s + "0";
    }
    return s;
  }

  List<Account> accounts(UUID instanceId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              @SuppressWarnings("unchecked")
              List<Object[]> rows =
                  em.createNativeQuery(
                          "SELECT user_id, mattermost_user_id, username, email, role"
                              + " FROM mattermost_account WHERE instance_id = ?1")
                      .setParameter(1, instanceId)
                      .getResultList();
              return rows.stream()
                  .map(
                      r ->
                          new Account(
                              (String) r[0],
                              (String) r[1],
                              (String) r[2],
                              (String) r[3],
                              (String) r[4]))
                  .toList();
            });
  }

  private void record(UUID instanceId, MemberDirectory.Member m, Made made) {
    record(instanceId, m, made.mattermostId(), made.username());
  }

  private void record(
      UUID instanceId, MemberDirectory.Member m, String mattermostId, String username) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "INSERT INTO mattermost_account (instance_id, user_id, mattermost_user_id,"
                            + " username, email, role, synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                            + " ?7) ON CONFLICT (instance_id, user_id) DO UPDATE SET"
                            + " mattermost_user_id = EXCLUDED.mattermost_user_id, username ="
                            + " EXCLUDED.username, email = EXCLUDED.email, role = EXCLUDED.role,"
                            + " synced_at = EXCLUDED.synced_at")
                    .setParameter(1, instanceId)
                    .setParameter(2, m.userId())
                    .setParameter(3, mattermostId)
                    .setParameter(4, username)
                    .setParameter(5, m.email())
                    .setParameter(6, m.role())
                    .setParameter(7, OffsetDateTime.now())
                    .executeUpdate());
  }

  private void forget(UUID instanceId, String userId) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "DELETE FROM mattermost_account WHERE instance_id = ?1 AND user_id = ?2")
                    .setParameter(1, instanceId)
                    .setParameter(2, userId)
                    .executeUpdate());
  }
}
