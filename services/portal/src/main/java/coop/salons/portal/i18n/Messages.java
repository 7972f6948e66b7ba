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

  @Message("Your chat instances and their costs will appear here.")
  String dashboard_next();

  @Message("Your organisations")
  String orgs_title();

  @Message("You belong to no organisation yet. Create your association's below.")
  String orgs_none();

  @Message("Your organisations cannot be shown right now; try again in a moment.")
  String orgs_unavailable();

  @Message("{count} member(s)")
  String orgs_members(long count);

  @Message("{role}")
  String orgs_role(String role);

  @Message("Create an organisation")
  String org_create_title();

  @Message("Short name")
  String org_slug_label();

  @Message(
      "3 to 40 lower-case letters, digits or hyphens; it appears in your chat's address and never changes.")
  String org_slug_help();

  @Message("Name")
  String org_name_label();

  @Message("Create")
  String org_create_button();

  @Message("The organisation {slug} is created; you are its owner.")
  String org_created(String slug);

  @Message("The organisation could not be created:")
  String org_create_failed();

  @Message("Language")
  String language();

  @Message("Free software under the AGPL-3.0")
  String footer_license();
}
