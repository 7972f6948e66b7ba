package coop.salons.portal.commons;

import coop.salons.portal.Problems;
import coop.salons.portal.commons.CommonsPage.OpenForm;
import coop.salons.portal.i18n.Locales;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The commons page's forms, for signed-in people: open a room (members of an association), archive
 * one (the hoster). A refusal shows the page again with the reasons and the form as it was sent.
 */
@Path("/app/commons")
@Authenticated
public class CommonsForms {

  @Inject CommonsPage page;
  @Inject @RestClient CommonsClient commons;

  @POST
  @Path("rooms")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response open(
      @FormParam("theme") String theme,
      @FormParam("alias") String alias,
      @FormParam("name") String name,
      @FormParam("topic") String topic,
      @FormParam("lang") String lang,
      @Context HttpHeaders headers) {
    OpenForm form =
        new OpenForm(
            Problems.trim(theme), Problems.trim(alias), Problems.trim(name), Problems.trim(topic));
    String self = "fr".equals(lang) ? "/communs" : "/commons";
    try {
      CommonsClient.Room room =
          commons.open(
              new CommonsClient.OpenRoom(
                  form.theme(),
                  form.alias(),
                  form.name(),
                  form.topic().isEmpty() ? null : form.topic()));
      return Response.seeOther(URI.create(self + "?opened=" + enc(room.alias()))).build();
    } catch (WebApplicationException e) {
      String language = Locales.resolve(lang, Optional.empty(), headers);
      return Problems.shownAgain(
          e,
          errors -> page.render(language, self, null, null, errors, form, CommonsPage.Search.NONE));
    }
  }

  @POST
  @Path("rooms/{id}/archive")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response archive(
      @PathParam("id") String id, @FormParam("lang") String lang, @Context HttpHeaders headers) {
    String self = "fr".equals(lang) ? "/communs" : "/commons";
    try {
      CommonsClient.Room room = commons.archive(id);
      return Response.seeOther(URI.create(self + "?archived=" + enc(room.alias()))).build();
    } catch (WebApplicationException e) {
      String language = Locales.resolve(lang, Optional.empty(), headers);
      return Problems.shownAgain(
          e,
          errors ->
              page.render(
                  language, self, null, null, errors, OpenForm.EMPTY, CommonsPage.Search.NONE));
    }
  }

  @POST
  @Path("directory/{id}/report")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response report(
      @PathParam("id") String id,
      @FormParam("reason") String reason,
      @FormParam("lang") String lang,
      @Context HttpHeaders headers) {
    return moderate(
        lang,
        headers,
        "reported",
        () -> commons.report(id, new CommonsClient.Reason(Problems.trim(reason))).close());
  }

  @POST
  @Path("directory/{id}/hide")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response hide(
      @PathParam("id") String id,
      @FormParam("reason") String reason,
      @FormParam("lang") String lang,
      @Context HttpHeaders headers) {
    return moderate(
        lang,
        headers,
        "hidden",
        () -> commons.hide(id, new CommonsClient.Reason(Problems.trim(reason))));
  }

  @POST
  @Path("digest")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(hidden = true)
  public Response digest(
      @FormParam("subscribed") String subscribed,
      @FormParam("lang") String lang,
      @Context HttpHeaders headers) {
    String language = "fr".equals(lang) ? "fr" : "en";
    return moderate(
        lang,
        headers,
        "digest",
        () ->
            commons.chooseDigest(
                new CommonsClient.DigestChoice("on".equals(subscribed), language)));
  }

  private Response moderate(String lang, HttpHeaders headers, String done, Runnable action) {
    String self = "fr".equals(lang) ? "/communs" : "/commons";
    try {
      action.run();
      return Response.seeOther(URI.create(self + "?" + done + "=true#directory")).build();
    } catch (WebApplicationException e) {
      String language = Locales.resolve(lang, Optional.empty(), headers);
      return Problems.shownAgain(
          e,
          errors ->
              page.render(
                  language, self, null, null, errors, OpenForm.EMPTY, CommonsPage.Search.NONE));
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
