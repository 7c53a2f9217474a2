using PaperBot.Bot.Permissions;

namespace PaperBot.Bot.Tests.Unit;

public sealed class PermissionCheckTests
{
    [Theory]
    [InlineData("32", true)] // MANAGE_GUILD
    [InlineData("8", true)] // ADMINISTRATOR implies it
    [InlineData("2147483647", true)]
    [InlineData("1099511696416", true)] // SEND_POLLS(1<<40) + view/send/history + MANAGE_GUILD
    [InlineData("1099511696384", false)] // the same set without MANAGE_GUILD
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("not-a-number", false)]
    [InlineData("-32", false)]
    public void Manage_server_comes_from_the_member_permission_string(string? perms, bool expected)
    {
        Assert.Equal(expected, PermissionCheck.CanManageServer(perms));
    }
}
