package coop.salons.commons;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The commons service's own settings ({@code salons.commons.*}). */
@ConfigMapping(prefix = "salons.commons")
public interface CommonsConfig {

  /**
   * The token this service acts with on the commons server, as the platform's account (the commons
   * server's application service token, which provisioning renders from the same secret). Without
   * it the themes are kept but no room is made.
   */
  Optional<String> appserviceToken();

  /**
   * A JSON file of themes the hoster starts with, read at start when there is no theme at all;
   * without it, the list shipped with the service ({@code commons/themes.json}).
   */
  Optional<String> themesFile();

  /** How many rooms one person may open on the commons server in a day. */
  @WithDefault("3")
  int roomsPerDay();

  /** How often the rooms are brought to the commons server and their member counts read. */
  @WithDefault("5s")
  String syncEvery();

  /** After this many failures in a row a room is left for an operator (its reason says why). */
  @WithDefault("10")
  int maxAttempts();

  /** The largest page a list endpoint answers. */
  @WithDefault("100")
  int maxPageSize();

  /** How long the commons server's address, read from provisioning, is kept. */
  @WithDefault("PT30S")
  Duration serverCache();

  /** Where a Matrix room is opened in any client (the matrix.to link). */
  @WithDefault("https://matrix.to/#/")
  String matrixTo();

  /** The directory of the commons. */
  Directory directory();

  /** The directory of the commons ({@code salons.commons.directory.*}). */
  interface Directory {

    /** How often the associations' servers' public room lists are read. */
    @WithDefault("15m")
    String refreshEvery();

    /** How many servers are read at once. */
    @WithDefault("16")
    int concurrency();

    /** How long one page of a server's public room list may take. */
    @WithDefault("PT10S")
    Duration readTimeout();

    /** How long the rooms of a server that does not answer stay listed (marked stale). */
    @WithDefault("PT24H")
    Duration staleFor();

    /** How long an answer of the search is kept (the same search answered at once); 0: never. */
    @WithDefault("PT30S")
    Duration searchCacheFor();

    /** How many rooms an organisation may publish in 24 hours. */
    @WithDefault("10")
    int publishesPerDay();
  }
}
