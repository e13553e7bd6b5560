using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;
using Proviso.Hosting;

namespace Proviso.Diligence;

/// <summary>Sends e-mail when SMTP is configured; otherwise says it did not, so the caller shows the link instead.</summary>
public interface IEmailSender
{
    bool Enabled { get; }

    /// <summary>True when the message was handed to the server.</summary>
    Task<bool> SendAsync(string recipient, string subject, string body, CancellationToken ct = default);
}

internal sealed class SmtpEmailSender(IOptions<ProvisoOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    private SmtpOptions Smtp => options.Value.Smtp;

    public bool Enabled => Smtp.Enabled;

    public async Task<bool> SendAsync(string recipient, string subject, string body, CancellationToken ct = default)
    {
        if (!Enabled)
        {
            return false;
        }
        try
        {
            using var client = new SmtpClient(Smtp.Host, Smtp.Port) { EnableSsl = Smtp.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network };
            if (!string.IsNullOrEmpty(Smtp.User))
            {
                client.Credentials = new NetworkCredential(Smtp.User, Smtp.Password);
            }
            using var message = new MailMessage(Smtp.From, recipient, subject, body);
            await client.SendMailAsync(message, ct);
            return true;
        }
        catch (Exception ex) when (ex is SmtpException or InvalidOperationException or FormatException or IOException)
        {
            // A mail outage must not lose the work: the sender still sees the link to pass on by hand.
            logger.LogWarning(ex, "E-mail to {To} could not be sent", recipient);
            return false;
        }
    }
}
