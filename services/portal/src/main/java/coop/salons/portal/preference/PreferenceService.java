package coop.salons.portal.preference;

import coop.salons.portal.i18n.Locales;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Reads and remembers a signed-in user's language. */
@ApplicationScoped
public class PreferenceService {

  public Optional<String> locale(String subject) {
    return UserPreference.<UserPreference>findByIdOptional(subject).map(p -> p.locale);
  }

  /** Remembers a supported language; anything else is ignored. */
  @Transactional
  public void rememberLocale(String subject, String locale) {
    if (Locales.supported(locale).isEmpty()) {
      return;
    }
    UserPreference p = UserPreference.findById(subject);
    if (p == null) {
      p = new UserPreference();
      p.subject = subject;
    }
    p.locale = Locales.supported(locale).get();
    p.updatedAt = OffsetDateTime.now();
    p.persist();
  }
}
