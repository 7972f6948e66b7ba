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

  @Message("The platform's API (OpenAPI)")
  String footer_api();

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

  @Message(
      "The commons are the platform's thematic rooms, where associations meet. With \u201cOnly this"
          + " instance's members\u201d your members cannot join them from this chat: only with"
          + " their platform account, on the commons server.")
  String federation_help();

  @Message("Your own domain (optional)")
  String instance_domain_label();

  @Message(
      "for example chat.your-association.org. A Matrix server's name is in every account and"
          + " room and can never change: we recommend your association's own domain, so that if"
          + " you leave the platform one day, every account and room goes with you. The instance"
          + " page then says which DNS record to create.")
  String instance_domain_help();

  @Message("Your domain {domain}")
  String domain_title(String domain);

  @Message("{domain} leads to your chat.")
  String domain_pointed(String domain);

  @Message("Your domain does not lead here yet. Create this record in its DNS zone:")
  String domain_not_pointed();

  @Message("Not looked up yet (the platform looks every few minutes). The record to create:")
  String domain_unknown();

  @Message(
      "At the top of a zone, where a CNAME is not allowed: the same A and AAAA records as {target}.")
  String domain_apex(String target);

  @Message("Look it up now")
  String domain_check();

  @Message("{domain} is proven to be your association's.")
  String domain_proven(String domain);

  @Message(
      "Prove the domain is your association's with this record in its DNS zone: until the platform"
          + " sees it, the domain gets no route, no certificate and is in no federation list.")
  String domain_proof_missing();

  @Message("Members' Mattermost accounts")
  String accounts_title();

  @Message(
      "The platform keeps a Mattermost account for each member of the association: newcomers get"
          + " an email to choose their password, and those who leave lose access.")
  String accounts_synced();

  @Message(
      "The platform cannot keep the members' accounts right now: newcomers get none yet. Your"
          + " hoster can read why below.")
  String accounts_failing();

  @Message("Members get their accounts within a minute of the chat being ready.")
  String accounts_unknown();

  @Message("Create the instance")
  String instance_create_button();

  @Message("plan {plan}")
  String instance_plan(String plan);

  @Message("Your chat is ready.")
  String instance_ready();

  @Message("Your chat is coming up; this page follows it.")
  String instance_working();

  @Message("Your chat is ready: connect a Matrix app to it, as shown below.")
  String instance_ready_connect();

  @Message("Connect a Matrix app")
  String connect_title();

  @Message(
      "Members chat from any Matrix app: Element on the web, on a computer or on a phone, FluffyChat,"
          + " Cinny and others. They sign in with their account of this platform; no password of"
          + " its own is needed.")
  String connect_intro();

  @Message("Server address")
  String connect_server();

  @Message("Addresses on this server")
  String connect_ids();

  @Message("Install or open a Matrix app (Element, FluffyChat, ...) and choose to sign in.")
  String connect_step_app();

  @Message("Where the app asks for a server (\"homeserver\"), change it to {url}.")
  String connect_step_server(String url);

  @Message("Choose \"Continue with Salons\" (single sign-on) and sign in with your account.")
  String connect_step_sso();

  @Message("Your rooms are on this server; the commons' thematic rooms are open to you from it.")
  String connect_step_done();

  @Message("A Matrix web client is ready on this machine; give it the server address above.")
  String connect_web_client();

  @Message("Open the web client")
  String connect_web_client_open();

  @Message(
      "Element X, Element's newest app, does not sign in to this server yet: on a phone, use"
          + " Element (classic) or FluffyChat.")
  String connect_element_x();

  @Message(
      "Element X, Element's newest app, signs in to this server too, as do Element (classic),"
          + " Element Web and FluffyChat: give the server address above, then continue with"
          + " Salons.")
  String connect_element_x_ready();

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

  @Message("Hosting and costs")
  String billing_title();

  @Message("Hosting and costs")
  String billing_link();

  @Message("The billing service does not answer right now; try again in a moment.")
  String billing_unavailable();

  @Message("The plan was not changed:")
  String billing_change_failed();

  @Message("Plan and price")
  String billing_plan();

  @Message("You chose to pay {amount} {currency} a month")
  String billing_price(String amount, String currency);

  @Message("of which {amount} {currency} go to the solidarity fund")
  String billing_solidarity_part(String amount, String currency);

  @Message("Quotas")
  String billing_quotas();

  @Message("near the limit")
  String billing_quota_near();

  @Message("Plan")
  String billing_choose_plan();

  @Message("suggested {suggested} {currency}, at least {minimum} {currency}")
  String billing_plan_prices(String suggested, String minimum, String currency);

  @Message("Your price, in {currency} a month")
  String billing_your_price(String currency);

  @Message(
      "Pay what you can, from the plan's minimum; what you pay above the cost helps other associations.")
  String billing_price_help();

  @Message("Change plan or price")
  String billing_change();

  @Message("Use in {month}")
  String billing_usage(String month);

  @Message("No use recorded for this month.")
  String billing_usage_none();

  @Message("Reserved processor, core-hours per day")
  String billing_chart_cpu();

  @Message("Storage used, GB on average per day")
  String billing_chart_storage();

  @Message("The figures as a table")
  String billing_table();

  @Message("Day")
  String billing_day();

  @Message("core-hours")
  String billing_core_hours();

  @Message("GiB-hours")
  String billing_gib_hours();

  @Message("GB-months")
  String billing_gb_months();

  @Message("storage (GB)")
  String billing_storage_gb();

  @Message("active members")
  String billing_members();

  @Message("What {month} cost")
  String billing_cost(String month);

  @Message("Provisional: the month is not over, or only just; the figures may still change.")
  String billing_provisional();

  @Message(
      "your share, in proportion to use, of the capacity left idle and of the hoster's fixed costs")
  String billing_shared_help();

  @Message("Cost")
  String billing_total_cost();

  @Message("You pay")
  String billing_you_pay();

  @Message("Covered by solidarity")
  String billing_covered();

  @Message("the part of the cost your price does not cover")
  String billing_covered_help();

  @Message("Download the statement (CSV)")
  String billing_csv();

  @Message("How the platform's costs are shared")
  String billing_transparency();

  @Message("No statement for this month yet.")
  String billing_cost_none();

  @Message("Cost month by month")
  String billing_history();

  @Message("Month")
  String billing_month();

  @Message(
      "{#when quota}{#is 'instances'}Chat instances{#is 'members'}Members{#is 'storage-gb'}Storage"
          + " (GB){#is 'cpu-millicores'}Processor (millicores){#is 'memory-mib'}Memory (MiB)"
          + "{#else}{quota}{/when}")
  String quota(String quota);

  @Message(
      "{#when line}{#is 'cpu'}Processor{#is 'memory'}Memory{#is 'storage'}Storage{#is 'shared'}Shared"
          + " and idle costs{#else}{line}{/when}")
  String cost_line(String line);

  @Message("Transparency: what the platform costs")
  String transparency_title();

  @Message(
      "{hoster} publishes what hosting cost each month and how the cost is shared: each association pays for what it reserved, and the capacity left idle and the fixed costs are shared in proportion to use.")
  String transparency_intro(String hoster);

  @Message("What the platform cost")
  String transparency_costs();

  @Message("Total cost")
  String transparency_total();

  @Message("Who paid for it")
  String transparency_funding();

  @Message("Paid by the {organizations} organisations")
  String transparency_paid(int organizations);

  @Message("Paid")
  String transparency_paid_short();

  @Message("of which given to the solidarity fund")
  String transparency_solidarity_collected();

  @Message("Costs not covered by the price paid (for solidarity to cover)")
  String transparency_solidarity_needed();

  @Message("Balance (paid − cost)")
  String transparency_balance();

  @Message("By plan")
  String transparency_by_plan();

  @Message("Organisations")
  String transparency_organizations();

  @Message(
      "{#when line}{#is 'direct'}Reserved by the organisations{#is 'idle'}Capacity left idle"
          + "{#is 'fixed'}Fixed costs{#is 'prices'}Prices, for the costs{#is 'solidarity'}Solidarity"
          + " fund{#else}{line}{/when}")
  String platform_line(String line);

  @Message("Delete this instance")
  String instance_delete();

  @Message(
      "The server stops at once. For 7 days you can restore it with everything it had; then its"
          + " database is backed up one last time and everything is removed.")
  String instance_delete_help();

  @Message("I want to delete {name}")
  String instance_delete_confirm(String name);

  @Message("Deletion scheduled: the server is stopped and will be removed on {day}.")
  String instance_deletion_scheduled(String day);

  @Message("Restore it")
  String instance_restore();

  @Message("Members")
  String members_title();

  @Message("An invitation was sent to {email}; they join when they accept it.")
  String members_invited(String email);

  @Message("{email} is a member now.")
  String members_added(String email);

  @Message("No one was added:")
  String members_failed();

  @Message("Name")
  String members_name();

  @Message("Email")
  String members_email();

  @Message("Role")
  String members_role();

  @Message("Remove")
  String members_remove();

  @Message("Add someone")
  String members_add_title();

  @Message("Someone with an account here joins at once; anyone else gets an invitation by email.")
  String members_email_help();

  @Message("Add")
  String members_add();

  @Message(
      "{#when role}{#is 'owner'}Owner{#is 'admin'}Admin{#is 'member'}Member{#else}{role}{/when}")
  String role(String role);

  @Message("Change the role")
  String members_change_role();

  @Message("Sign-in")
  String providers_title();

  @Message(
      "Members whose email address ends in your domain can sign in with the accounts your"
          + " association already has (OpenID Connect or SAML). The platform reads your provider"
          + " first; the client secret is kept by the sign-in server and never shown again.")
  String providers_intro();

  @Message("Your association's sign-in is linked: {name}.")
  String providers_added(String name);

  @Message("Nothing was changed:")
  String providers_failed();

  @Message("No provider yet: members sign in with a password.")
  String providers_none();

  @Message("Provider")
  String providers_display_name();

  @Message("Email domain")
  String providers_domain();

  @Message("Register at your provider")
  String providers_register();

  @Message("Link a provider")
  String providers_add_title();

  @Message("Short name")
  String providers_name();

  @Message("2 to 20 lower-case letters and digits.")
  String providers_name_help();

  @Message("Kind")
  String providers_kind();

  @Message("Discovery URL (OpenID Connect)")
  String providers_discovery();

  @Message("Metadata URL (SAML)")
  String providers_metadata();

  @Message("Client id (OpenID Connect)")
  String providers_client_id();

  @Message("Client secret (OpenID Connect)")
  String providers_client_secret();

  @Message("Link")
  String providers_add();

  @Message("Unlink")
  String providers_remove();

  @Message("Only owners link or unlink providers.")
  String providers_owners_only();

  @Message("Proven: members of the domain are sent to this provider.")
  String providers_proven();

  @Message(
      "Waiting for proof that the domain is yours: add this DNS record where your domain is managed. Members of the domain are sent to this provider once it is seen (checked every few minutes).")
  String providers_proof();

  @Message("Check now")
  String providers_check();

  @Message("Page not found")
  String error_not_found_title();

  @Message("This page does not exist, or it belongs to an organisation you are not a member of.")
  String error_not_found();

  @Message("Not yours to see")
  String error_forbidden_title();

  @Message("Your role in this organisation does not open this page; ask one of its owners.")
  String error_forbidden();

  @Message("Back to your space")
  String error_back();

  @Message("The commons")
  String commons_title();

  @Message(
      "Thematic rooms that belong to no association: anyone from any association hosted here can turn up, meet the people who work on the same subject, and feel less alone. Join them with your own association's account, or with your platform account.")
  String commons_intro();

  @Message("The commons cannot be shown right now; try again in a moment.")
  String commons_unavailable();

  @Message("How to join")
  String commons_ways_title();

  @Message(
      "From your association's own Matrix chat: join a room by its address (below), with your usual account.")
  String commons_way_own();

  @Message(
      "With your platform account, whatever your association's chat: in any Matrix app, enter this server and choose \u201cSign in with Salons\u201d:")
  String commons_way_platform();

  @Message("Every thematic room is in the space")
  String commons_way_space();

  @Message("The commons server is starting: the ways in appear as soon as it answers.")
  String commons_starting();

  @Message("{count} member(s)")
  String commons_members(int count);

  @Message("No room yet.")
  String commons_no_rooms();

  @Message("being made")
  String commons_being_made();

  @Message("Open in a Matrix app")
  String commons_open_in_app();

  @Message("Archive")
  String commons_archive();

  @Message("Archive the room {name}")
  String commons_archive_label(String name);

  @Message("Open a room")
  String commons_open_title();

  @Message("Sign in as a member of an association to open a room.")
  String commons_open_sign_in();

  @Message("Rooms of the commons are opened by members of the associations hosted here.")
  String commons_open_not_member();

  @Message("You opened your share of rooms for today ({perDay} a day): come back tomorrow.")
  String commons_open_limit(int perDay);

  @Message("You opened {opened} room(s) in the last 24 hours; you may open up to {perDay} a day.")
  String commons_open_left(int opened, int perDay);

  @Message("Theme")
  String commons_theme_label();

  @Message("Name of the room")
  String commons_name_label();

  @Message("Short address")
  String commons_alias_label();

  @Message(
      "3 to 40 lower-case letters, digits and hyphens: the room will be #address on the commons server.")
  String commons_alias_help();

  @Message("What it is about (optional)")
  String commons_topic_label();

  @Message("Open the room")
  String commons_open_button();

  @Message("That did not work:")
  String commons_failed();

  @Message("Your room is being made on the commons server: #{alias} appears here in a few seconds.")
  String commons_opened(String alias);

  @Message("The room #{alias} is archived: it stays readable, nobody can write in it any more.")
  String commons_archived(String alias);

  @Message("Visit the commons")
  String home_commons_link();

  @Message("Themes of the commons")
  String org_themes_title();

  @Message(
      "The themes your association works on, shown on its page: the commons will soon tell you who"
          + " else works on them.")
  String org_themes_intro();

  @Message("Your association works on")
  String org_themes_legend();

  @Message("Save the themes")
  String org_themes_save();

  @Message("Find a room")
  String directory_title();

  @Message(
      "The rooms every association hosted here chose to list, and the thematic rooms of the commons. Search in French or English; accents and small typos do not matter.")
  String directory_intro();

  @Message("Words to search for")
  String directory_q_label();

  @Message("All themes")
  String directory_any_theme();

  @Message("Any language")
  String directory_any_language();

  @Message("Language spoken")
  String directory_language_label();

  @Message("French")
  String directory_lang_fr();

  @Message("English")
  String directory_lang_en();

  @Message("Search")
  String directory_search();

  @Message("No room found. Try other words, or another theme.")
  String directory_none();

  @Message("The search could not be done: check the words and filters.")
  String directory_refused();

  @Message("More rooms")
  String directory_more();

  @Message("New this week")
  String directory_new();

  @Message("of the commons")
  String directory_commons_room();

  @Message("+{growth} this week")
  String directory_growth(int growth);

  @Message("its server did not answer lately")
  String directory_stale();

  @Message("Results")
  String directory_results();

  @Message("Our rooms in the directory")
  String orgdir_title();

  @Message(
      "List the rooms of your association's server that anyone on the platform may join: people working on the same themes find them by searching.")
  String orgdir_intro();

  @Message("See the whole directory")
  String orgdir_see_all();

  @Message("{name} is in the directory.")
  String orgdir_published(String name);

  @Message("The rooms were read again from your server.")
  String orgdir_refreshed();

  @Message("Rooms we list")
  String orgdir_listings_title();

  @Message("None yet.")
  String orgdir_listings_none();

  @Message("listed")
  String orgdir_listed();

  @Message("no longer in your server's public list")
  String orgdir_gone();

  @Message("taken out by the hoster")
  String orgdir_hidden();

  @Message("taken out")
  String orgdir_unpublished();

  @Message("Take out")
  String orgdir_unpublish();

  @Message("Take {name} out of the directory")
  String orgdir_unpublish_label(String name);

  @Message("Read our rooms again now")
  String orgdir_refresh();

  @Message("Publish a room")
  String orgdir_publish_title();

  @Message(
      "Pick a room your server lists publicly (in the room's settings: “publish to the room directory”). A room whose topic says noindex is never listed.")
  String orgdir_publish_intro();

  @Message("Your server's public room list could not be read right now; try again in a moment.")
  String orgdir_candidates_unavailable();

  @Message("Your server lists no room publicly yet.")
  String orgdir_candidates_none();

  @Message("Room")
  String orgdir_room_label();

  @Message("listed")
  String orgdir_already();

  @Message("Themes (one to three)")
  String orgdir_themes_legend();

  @Message("Free tags (optional)")
  String orgdir_tags_label();

  @Message("Up to five, lower-case words joined by dashes, separated by commas.")
  String orgdir_tags_help();

  @Message("Description in French")
  String orgdir_description_fr();

  @Message("Description in English")
  String orgdir_description_en();

  @Message("French and English")
  String orgdir_lang_both();

  @Message("Publish")
  String orgdir_publish_button();

  @Message("Neighbours")
  String orgdir_neighbours_title();

  @Message("No other association lists rooms on your themes yet.")
  String orgdir_neighbours_none();

  @Message("{count} room(s) listed")
  String orgdir_neighbour_rooms(int count);

  @Message("Directory and neighbours")
  String orgdir_link();

  @Message("Report")
  String directory_report();

  @Message("What is wrong with this room?")
  String directory_report_reason();

  @Message("Send the report")
  String directory_report_send();

  @Message("Thank you: the hoster reads your report.")
  String directory_reported();

  @Message("The room is out of the directory.")
  String directory_hidden();

  @Message("Reports to read")
  String directory_reports_title();

  @Message("Hide")
  String directory_hide();

  @Message("Hide {name} from the directory")
  String directory_hide_label(String name);

  @Message("The commons in figures")
  String directory_figures_title();

  @Message("Rooms listed per theme")
  String directory_chart_themes();

  @Message("Rooms listed, week by week (the last 8 weeks)")
  String directory_chart_weeks();

  @Message("Rooms")
  String directory_rooms();

  @Message("Associations")
  String directory_organizations();

  @Message("Members")
  String directory_members();

  @Message("The weekly digest")
  String digest_title();

  @Message(
      "Once a week, by email: the new rooms and the associations new on the themes of your associations.")
  String digest_intro();

  @Message("Send me the weekly digest")
  String digest_label();

  @Message("Save")
  String digest_save();

  @Message("Your choice is saved.")
  String digest_saved();

  @Message("Scripts and automation")
  String automation_title();

  @Message(
      "A script acts for the organisation with an automation client: its own id and secret, a role (member or admin), in this organisation only. Give each script its own, never your password; revoke one and every service refuses it within seconds.")
  String automation_intro();

  @Message("The client's secret")
  String automation_secret_title();

  @Message(
      "Copy it now into the script's settings: it is shown only this once. The script asks the token URL for a token with the client credentials grant.")
  String automation_secret_once();

  @Message("Client id")
  String automation_client_id();

  @Message("Secret")
  String automation_secret();

  @Message("Token URL")
  String automation_token_url();

  @Message("The client could not be made or changed:")
  String automation_failed();

  @Message("No automation client yet.")
  String automation_none();

  @Message("Name")
  String automation_name();

  @Message("Role")
  String automation_role();

  @Message("Last used")
  String automation_last_used();

  @Message("never")
  String automation_never();

  @Message("New secret")
  String automation_rotate();

  @Message("Revoke")
  String automation_revoke();

  @Message("A client for a script")
  String automation_add_title();

  @Message("What the script does, for example Nightly export.")
  String automation_name_help();

  @Message("member: reads")
  String automation_role_member();

  @Message("admin: reads and changes (instances, members)")
  String automation_role_admin();

  @Message("Make the client")
  String automation_add();

  @Message("Scripts and automation")
  String automation_link();
}
