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

  @Message("Open an organisation to give it its chat; its costs will soon appear here too.")
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

  @Message("Chat instances")
  String instances_title();

  @Message("The instances cannot be shown right now; try again in a moment.")
  String instances_unavailable();

  @Message("No chat instance yet. Ask for one below: it comes up in a minute or two.")
  String instances_none();

  @Message("Open the chat")
  String instance_open();

  @Message("A new chat instance")
  String instance_create_title();

  @Message("The instance could not be created:")
  String instance_create_failed();

  @Message("Which chat?")
  String instance_flavour_label();

  @Message("open, federated rooms; members sign in with their account here")
  String instance_matrix_help();

  @Message("teams and channels; in its free edition members get their own password")
  String instance_mattermost_help();

  @Message("Name shown to members")
  String instance_name_label();

  @Message("Who can your members talk to?")
  String instance_federation_label();

  @Message("The platform's other associations (the commons)")
  String federation_platform();

  @Message("The whole Matrix network")
  String federation_open();

  @Message("Only this instance's members")
  String federation_off();

  @Message("Create the instance")
  String instance_create_button();

  @Message("plan {plan}")
  String instance_plan(String plan);

  @Message("Your chat is ready.")
  String instance_ready();

  @Message("Your chat is coming up; this page follows it.")
  String instance_working();

  @Message("Progress")
  String instance_progress();

  @Message(
      "{#when state}{#is 'requested'}Requested{#is 'provisioning'}Coming up{#is 'ready'}Ready"
          + "{#is 'updating'}Updating{#is 'suspended'}Suspended{#is 'deletion-requested'}Deletion"
          + " scheduled{#is 'deleted'}Deleted{#is 'failed'}Failed{#else}{state}{/when}")
  String state(String state);

  @Message(
      "{#when name}{#is 'secrets'}Secrets generated{#is 'database'}Database created"
          + "{#is 'oidc-client'}Sign-in through the platform set up{#is 'apply'}Server configured"
          + " and started{#is 'readiness'}Server answering{#else}{name}{/when}")
  String step(String name);

  @Message("Suspend")
  String instance_suspend();

  @Message("The server stops; messages and files are kept.")
  String instance_suspend_help();

  @Message("Start again")
  String instance_resume();

  @Message("The server starts again with everything it had.")
  String instance_resume_help();
}
