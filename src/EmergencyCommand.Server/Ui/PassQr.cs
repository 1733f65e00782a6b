using QRCoder;

namespace EmergencyCommand.Server.Ui;

/// <summary>A pass code as a QR code a checkpoint can scan: an SVG drawn on the server, no script, no image request.</summary>
public static class PassQr
{
    public static string Svg(string passCode)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(passCode, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(6);
    }
}
