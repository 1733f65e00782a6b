namespace EmergencyCommand.Server.Ui;

/// <summary>
/// Whether the circuit's last call to the API met an answer. While it does not, the layout says so above every page:
/// a list that failed to load would otherwise just look empty.
/// </summary>
public sealed class ApiReachability
{
    public bool Unreachable { get; private set; }

    public event Action? Changed;

    public void Answered(bool answered)
    {
        if (Unreachable != answered) return;
        Unreachable = !answered;
        Changed?.Invoke();
    }
}
