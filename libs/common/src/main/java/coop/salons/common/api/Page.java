package coop.salons.common.api;

import java.util.List;

/**
 * One page of a list: its items and the cursor of the next page ({@code null} on the last page).
 * Every list endpoint of every service answers this shape.
 */
public record Page<T>(List<T> items, String nextCursor) {}
