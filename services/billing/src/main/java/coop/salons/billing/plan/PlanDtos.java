package coop.salons.billing.plan;

import coop.salons.common.api.Slugs;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;

/** What the plans API reads and writes. */
public final class PlanDtos {

  private PlanDtos() {}

  /** The largest price a plan may ask: 100,000.00 a month. */
  public static final long MAX_PRICE_CENTS = 10_000_000L;

  /** A plan's quotas. */
  public record Quotas(
      @NotNull @Min(0) @Max(1000) Integer instances,
      @NotNull @Min(0) @Max(1_000_000) Integer members,
      @NotNull @Min(0) @Max(1_000_000) Integer storageGb,
      @NotNull @Min(0) @Max(1_000_000) Integer cpuMillicores,
      @NotNull @Min(0) @Max(4_194_304) Integer memoryMib) {}

  /** A plan's price rules: a suggested monthly price, a floor (may be 0), a solidarity share. */
  public record Price(
      @NotNull @Min(0) @Max(MAX_PRICE_CENTS) Long suggestedCents,
      @NotNull @Min(0) @Max(MAX_PRICE_CENTS) Long minimumCents,
      @NotNull @Min(0) @Max(100) Integer solidaritySharePercent) {}

  /** A plan as the hoster writes it. */
  public record PlanInput(
      @NotNull @Pattern(regexp = Slugs.PATTERN, message = "must be a slug: a-z, 0-9, inner hyphens")
          String id,
      @NotBlank
          @Size(max = 100)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String name,
      @Size(max = 500) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "no control characters")
          String description,
      @NotNull @Valid Quotas quotas,
      @NotNull @Valid Price price,
      Boolean available) {}

  /** A plan as everyone reads it. */
  public record PlanView(
      String id,
      String name,
      String description,
      Quotas quotas,
      Price price,
      String currency,
      boolean available,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {

    public static PlanView of(Plan p, String currency) {
      return new PlanView(
          p.id,
          p.name,
          p.description,
          new Quotas(p.maxInstances, p.maxMembers, p.storageGb, p.cpuMillicores, p.memoryMib),
          new Price(p.suggestedPriceCents, p.minimumPriceCents, p.solidaritySharePercent),
          currency,
          p.available,
          p.createdAt,
          p.updatedAt);
    }
  }
}
