package coop.salons.commons.directory;

import coop.salons.commons.directory.DirectoryDtos.ListingView;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** The newest rooms of the directory as an Atom feed, written by an XML serializer. */
final class AtomFeed {

  private static final String ATOM = "http://www.w3.org/2005/Atom";

  private AtomFeed() {}

  static String write(String id, String title, String self, List<ListingView> rooms) {
    try {
      StringWriter out = new StringWriter();
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeStartElement("feed");
      x.writeDefaultNamespace(ATOM);
      element(x, "id", id);
      element(x, "title", title);
      x.writeEmptyElement("link");
      x.writeAttribute("rel", "self");
      x.writeAttribute("href", self);
      OffsetDateTime updated =
          rooms.isEmpty()
              ? OffsetDateTime.parse("2026-01-01T00:00:00Z")
              : rooms.get(0).publishedAt();
      element(x, "updated", date(updated));
      x.writeStartElement("author");
      element(x, "name", "Salons");
      x.writeEndElement();
      for (ListingView r : rooms) {
        x.writeStartElement("entry");
        element(x, "id", "urn:uuid:" + r.id());
        element(x, "title", r.name());
        element(x, "updated", date(r.publishedAt()));
        x.writeEmptyElement("link");
        x.writeAttribute("href", r.matrixTo());
        for (String theme : r.themes()) {
          x.writeEmptyElement("category");
          x.writeAttribute("term", theme);
        }
        String summary =
            String.join(
                " — ",
                java.util.stream.Stream.of(r.descriptionFr(), r.descriptionEn(), r.topic())
                    .filter(s -> s != null && !s.isBlank())
                    .toList());
        if (!summary.isEmpty()) {
          element(x, "summary", summary);
        }
        x.writeEndElement();
      }
      x.writeEndElement();
      x.writeEndDocument();
      x.close();
      return out.toString();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void element(XMLStreamWriter x, String name, String text)
      throws XMLStreamException {
    x.writeStartElement(name);
    // Names and topics come from Matrix servers: XML 1.0 has no place for control characters.
    x.writeCharacters(text.replaceAll("[\\p{Cntrl}&&[^\\t\\n\\r]]", ""));
    x.writeEndElement();
  }

  private static String date(OffsetDateTime t) {
    return t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
