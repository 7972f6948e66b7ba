package coop.salons.identity.problems;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** A resource that exists only in tests, to drive the exception mapper through every case. */
@Path("/test-only/problems")
@Consumes(MediaType.APPLICATION_JSON)
public class ProblemTestResource {

  public record Member(@NotBlank String name) {}

  public record Body(
      @NotNull @Pattern(regexp = "[a-z][a-z0-9-]{1,38}[a-z0-9]") String slug,
      @Email String email,
      List<@Valid Member> members) {}

  @POST
  public String create(@Valid @NotNull Body body) {
    return "ok";
  }

  @GET
  @Path("/page")
  public String page(@QueryParam("limit") @Max(100) Integer limit) {
    return "ok";
  }

  @GET
  @Path("/boom")
  public String boom() {
    throw new IllegalStateException("secret internal detail: password=hunter2");
  }
}
