package coop.salons.portal.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every sentence of the portal, in English here and in French in {@code
 * messages/msg_fr.properties}; the build fails if a template uses a key that is missing.
 */
@MessageBundle
public interface Messages {

  @Message("Chat for associations, hosted with care")
  String home_title();

  @Message(
      "Salons gives your association its own chat server, Matrix or Mattermost, hosted by a"
          + " hoster that is open, transparent and fair about costs. Your instance, your data;"
          + " leave whenever you want.")
  String home_intro();

  @Message("Sign in")
  String sign_in();

  @Message("Sign out")
  String sign_out();

  @Message("How it works")
  String home_how();

  @Message("Create your organisation and invite its members.")
  String home_step_org();

  @Message("Pick Matrix or Mattermost: your own instance comes up in minutes.")
  String home_step_chat();

  @Message("See what your hosting uses and what it costs, month by month.")
  String home_step_cost();

  @Message("The commons directory")
  String home_commons_title();

  @Message(
      "Publish rooms by theme and meet the people who work on the same subjects in other"
          + " associations.")
  String home_commons();

  @Message("Your space")
  String dashboard_title();

  @Message("Signed in as {name}")
  String dashboard_signed_in(String name);

  @Message("Your organisations, chat instances and costs will appear here.")
  String dashboard_next();

  @Message("Language")
  String language();

  @Message("Free software under the AGPL-3.0")
  String footer_license();
}
