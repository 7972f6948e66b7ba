package coop.salons.portal.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The sentences of the backups and restore pages ({@code bk:} in templates), in English here and in
 * French in {@code messages/bk_fr.properties}: a bundle of their own, since one bundle of more than
 * about 300 messages makes Quarkus generate a resolver the JVM refuses (VerifyError).
 */
@MessageBundle("bk")
public interface BackupMessages {

  @Message("Backups")
  String backups_title();

  @Message(
      "A backup holds the whole chat: messages, rooms, accounts, uploaded files and the server's signing key, encrypted with your hoster's key. Admins take one at any time; owners restore one, which replaces everything written since.")
  String backups_intro();

  @Message("Nothing was changed:")
  String backups_failed();

  @Message("Take a backup now")
  String backups_take();

  @Message("No backup yet.")
  String backups_none();

  @Message("Taken")
  String backups_taken();

  @Message("State")
  String backups_state();

  @Message("Size")
  String backups_size();

  @Message("Restore")
  String backups_restore();

  @Message("Ready to restore")
  String backups_done();

  @Message("Being taken…")
  String backups_running();

  @Message("Failed:")
  String backups_failed_one();

  @Message("The provisioning service does not answer; try again in a minute.")
  String backups_unavailable();

  @Message("Restoring from a backup")
  String restore_title();

  @Message("Restored. Resume the chat from its page if it was suspended.")
  String restore_done();

  @Message("The restore stopped:")
  String restore_failed();

  @Message("Under way; this page follows it.")
  String restore_running();

  @Message("Checking every file of the backup")
  String restore_checking();

  @Message("Stopping the server")
  String restore_stopping();

  @Message("Putting back its keys and secrets")
  String restore_secrets();

  @Message("Putting back its database")
  String restore_database();

  @Message("Putting back its files")
  String restore_media();

  @Message("Starting it again")
  String restore_starting();

  @Message("Type the instance's short name ({slug}) to confirm")
  String backups_confirm(String slug);

  @Message("Refresh")
  String backups_refresh();

  @Message("Leave with it")
  String backups_exit();

  @Message(
      "An exit bundle is this backup unencrypted, with what runs it outside the platform: the"
          + " server's configuration, a compose file and the steps, in English and French.")
  String backups_exit_intro();

  @Message("Your exit bundle is ready")
  String backups_exit_ready();

  @Message("Download the exit bundle")
  String backups_exit_download();

  @Message(
      "This link works until {until}. Whoever holds it can download your members' messages: give it"
          + " only to whoever installs your server.")
  String backups_exit_warning(String until);

  @Message("This link has expired")
  String exit_expired_title();

  @Message(
      "Links to exit bundles work for a day. An owner of the organisation makes a new one from"
          + " the instance's Backups page.")
  String exit_expired();

  @Message("Storage and retention")
  String storage_title();

  @Message("Storage used")
  String storage_chart();

  @Message("Database")
  String storage_database();

  @Message("Uploaded files")
  String storage_media();

  @Message("Copies of other servers' files")
  String storage_remote();

  @Message("{messages} messages, {files} files.")
  String storage_counts(long messages, long files);

  @Message("Keep messages for (days; 0: always)")
  String retention_messages_label();

  @Message("Keep a file nobody reads for (days; 0: always)")
  String retention_media_label();

  @Message("Save the retention")
  String retention_save();

  @Message(
      "At its next pass the retention will remove {messages} messages and {files} files ({size}).")
  String retention_next(long messages, long files, String size);

  @Message(
      "Mattermost's free edition does not remove old messages or files: the retention set here is"
          + " recorded, not enforced (that is a feature of its paid editions).")
  String retention_not_enforced();

  @Message("Bring an existing Matrix server in")
  String import_title();

  @Message(
      "Give the link to your server's exit bundle (one made by this platform or another hosting"
          + " Salons). Every file is checked before anything is made; the new instance keeps your"
          + " server's name, keys, rooms, messages and files, and members whose email is on an"
          + " account of the server sign in to that account.")
  String import_intro();

  @Message("Link to the exit bundle (https://…)")
  String import_url_label();

  @Message("It is used once and not kept.")
  String import_url_help();

  @Message("Bring it in")
  String import_start();

  @Message("Only the organisation's owners bring a server in.")
  String import_owners_only();

  @Message("Bringing a server in")
  String import_progress_title();

  @Message("Done: the server {server} runs here.")
  String import_done(String server);

  @Message("The import stopped:")
  String import_failed();

  @Message("Fetching the bundle")
  String import_fetching();

  @Message("Making the instance")
  String import_creating();

  @Message("Linking accounts to members by email")
  String import_mapping();

  @Message("Open the instance")
  String import_open();
}
