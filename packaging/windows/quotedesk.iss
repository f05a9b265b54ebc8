; Inno Setup script: a per-user installer for the Windows bundle (no admin rights needed).
;   pyinstaller packaging\quotedesk.spec --distpath build\dist --workpath build\work
;   iscc /DAppVersion=0.1.0 packaging\windows\quotedesk.iss
; Output: build\QuoteDesk-<version>-setup.exe. CI (.github/workflows/bundles.yml) passes
; the version from pyproject.toml, from PowerShell: Git Bash would rewrite "/DAppVersion=..."
; into a path. The Start menu runs quotedesk-gui.exe (no console window); the optional PATH
; entry gives quotedesk.exe, the command; the uninstaller takes that entry out again.
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z
#endif
#define AppId "io.quotedesk.QuoteDesk"
#define AppName "Quote Desk"
#define Bundle "..\..\build\dist\quotedesk"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Quote Desk contributors
DefaultDirName={localappdata}\Programs\Quote Desk
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
ChangesEnvironment=yes
LicenseFile=..\..\LICENSE
OutputDir=..\..\build
OutputBaseFilename=QuoteDesk-{#AppVersion}-setup
SetupIconFile=..\..\build\work\quotedesk\icons\io.quotedesk.QuoteDesk.ico
UninstallDisplayIcon={app}\quotedesk-gui.exe
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ptbr"; MessagesFile: "compiler:Languages\BrazilianPortuguese.isl"
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked
Name: "addtopath"; Description: "Add the quotedesk command to PATH"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion
Source: "..\..\LICENSE"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\..\THIRD-PARTY-NOTICES.md"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\quotedesk-gui.exe"; AppUserModelID: "{#AppId}"
Name: "{group}\Third-party notices"; Filename: "{app}\THIRD-PARTY-NOTICES.md"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\quotedesk-gui.exe"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; \
  ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\quotedesk-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; \
  Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Path) then
    Path := '';
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

// Uninstall: take the program folder out of the user's PATH (the [Registry] line added it
// when the task was chosen), leaving every other entry as it was.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Path, Rest, Entry, Kept, Dir: string;
  Split: Integer;
begin
  if CurUninstallStep <> usUninstall then
    Exit;
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Path) then
    Exit;
  Dir := ExpandConstant('{app}');
  Rest := Path;
  Kept := '';
  while Rest <> '' do
  begin
    Split := Pos(';', Rest);
    if Split = 0 then
    begin
      Entry := Rest;
      Rest := '';
    end
    else
    begin
      Entry := Copy(Rest, 1, Split - 1);
      Rest := Copy(Rest, Split + 1, Length(Rest));
    end;
    if (Entry <> '') and (CompareText(Entry, Dir) <> 0) and (CompareText(Entry, Dir + '\') <> 0) then
    begin
      if Kept <> '' then
        Kept := Kept + ';';
      Kept := Kept + Entry;
    end;
  end;
  if Kept <> Path then
    RegWriteExpandStringValue(HKCU, 'Environment', 'Path', Kept);
end;
