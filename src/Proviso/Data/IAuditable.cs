namespace Proviso.Data;

/// <summary>Entities whose creation and last change are stamped by <see cref="AuditInterceptor"/>.</summary>
public interface IAuditable
{
    DateTimeOffset CreatedAt { get; set; }
    string? CreatedBy { get; set; }
    DateTimeOffset ModifiedAt { get; set; }
    string? ModifiedBy { get; set; }
}
