package coop.salons.commons.directory;

import coop.salons.common.api.Page;
import coop.salons.commons.CommonsConfig;
import coop.salons.commons.directory.DirectoryDtos.ListingView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers of the directory's search, kept a little while ({@code
 * salons.commons.directory.search-cache-for}, 30 s; 0 turns it off): the directory changes at a
 * refresh or a publication, and people search the same few theme words again and again. Every
 * change forgets everything; an answer computed while a change happened is not kept.
 */
@ApplicationScoped
public class SearchCache {

  static final int MAX_ENTRIES = 2_000;

  @Inject CommonsConfig config;

  private record Entry(Page<ListingView> page, long until) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  Page<ListingView> get(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (System.nanoTime() - e.until() > 0) {
      entries.remove(key, e);
      return null;
    }
    return e.page();
  }

  long generation() {
    return generation.get();
  }

  void put(String key, Page<ListingView> page, long computedAt) {
    Duration keep = config.directory().searchCacheFor();
    if (keep.isZero() || generation.get() != computedAt) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      Iterator<String> oldest = entries.keySet().iterator();
      for (int i = 0; i < MAX_ENTRIES / 10 && oldest.hasNext(); i++) {
        oldest.next();
        oldest.remove();
      }
    }
    entries.put(key, new Entry(page, System.nanoTime() + keep.toNanos()));
  }

  /** The directory changed: every kept answer is forgotten. */
  public void forget() {
    generation.incrementAndGet();
    entries.clear();
  }
}
