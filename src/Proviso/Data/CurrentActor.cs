using System.Security.Claims;

namespace Proviso.Data;

/// <summary>The person or key acting in this scope, for audit stamps.</summary>
public interface ICurrentActor
{
    string? Name { get; }
}

/// <summary>
/// Reads the actor from the HTTP request. Interactive UI work runs in scopes made by
/// <see cref="Components.Widgets.UiScope"/>, which sets the actor from the circuit's user instead.
/// </summary>
internal sealed class CurrentActor(IHttpContextAccessor http) : ICurrentActor
{
    public string? Name => Describe(http.HttpContext?.User);

    public static string? Describe(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var name = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier);
        var key = user.FindFirstValue("api_key_name");
        return key is null ? name : $"{name} (key {key})";
    }
}
