package coop.salons.portal.billing;

import io.quarkus.qute.TemplateExtension;

/** {@code {cents.money}} in templates: an amount of cents with two decimals. */
@TemplateExtension
public class MoneyExtensions {

  static String money(long cents) {
    return Charts.money(cents);
  }
}
