package coop.salons.provisioning.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether an object in the cluster already is what the platform wants: every field the platform
 * sets has its value there (fields the API server or others add are left alone). Only the labels,
 * the annotations and the body (spec, data...) are compared; quantities by amount ("1Gi" is
 * "1024Mi").
 */
final class ManifestDiff {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern QUANTITY = Pattern.compile("^[0-9.]+([a-zA-Z]{0,2})$");

  private ManifestDiff() {}

  static boolean upToDate(HasMetadata actual, HasMetadata desired) {
    JsonNode a = JSON.valueToTree(actual);
    JsonNode d = JSON.valueToTree(desired);
    for (String meta : new String[] {"labels", "annotations"}) {
      if (!contains(a.path("metadata").path(meta), d.path("metadata").path(meta))) {
        return false;
      }
    }
    Iterator<Map.Entry<String, JsonNode>> fields = d.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String name = f.getKey();
      if (name.equals("metadata") || name.equals("status")) {
        continue;
      }
      if (!contains(a.path(name), f.getValue())) {
        return false;
      }
    }
    return true;
  }

  static boolean contains(JsonNode actual, JsonNode desired) {
    if (desired == null || desired.isNull() || desired.isMissingNode()) {
      return true;
    }
    if (desired.isObject()) {
      if (!actual.isObject()) {
        return desired.isEmpty();
      }
      Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (!contains(actual.path(f.getKey()), f.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!actual.isArray() || actual.size() != desired.size()) {
        return desired.isEmpty() && (actual.isMissingNode() || actual.isNull() || actual.isEmpty());
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!contains(actual.get(i), desired.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired.equals(actual)) {
      return true;
    }
    if (desired.isTextual() && actual.isTextual()) {
      return sameQuantity(desired.asText(), actual.asText());
    }
    return desired.isNumber() && actual.isNumber() && desired.asLong() == actual.asLong();
  }

  private static boolean sameQuantity(String a, String b) {
    if (!QUANTITY.matcher(a).matches() || !QUANTITY.matcher(b).matches()) {
      return false;
    }
    try {
      return Quantity.getAmountInBytes(new Quantity(a))
              .compareTo(Quantity.getAmountInBytes(new Quantity(b)))
          == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
